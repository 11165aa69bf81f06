package proxy

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
)

const via = "1.1 hangar"

// forward is one HTTP request on its way through the reverse proxy.
type forward struct {
	svc    Service
	lease  *lease
	id     string // Fly-Request-Id
	status int    // what the client got, for the metrics
}

type forwardKey struct{}

func forwardOf(ctx context.Context) *forward { return ctx.Value(forwardKey{}).(*forward) }

// newReverseProxy builds the reverse proxy all HTTP requests share and sends
// each request through the transport of its app. Streamed responses (no
// Content-Length, or text/event-stream) are flushed on every write by
// ReverseProxy itself; forcing that on every response would cost a timer
// goroutine and a separate write of the headers.
func (p *Proxy) newReverseProxy() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite:        rewrite,
		Transport:      appTransport{},
		BufferPool:     newBufferPool(),
		ModifyResponse: modifyResponse,
		ErrorHandler:   p.upstreamError,
		ErrorLog:       slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
	}
}

// serveHTTP routes a request, holds it while its app wakes, and forwards it.
func (p *Proxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	f := &forward{id: newRequestID()}
	defer func() { p.metrics.request(f.status) }()
	svc, err := p.serviceFor(r)
	if err != nil {
		p.fail(w, f, err)
		return
	}
	f.svc = svc
	if svc.ForceHTTPS {
		f.status = redirectHTTPS(w, r, f.id)
		return
	}
	l, err := p.acquire(r.Context(), svc, requestCause(r))
	if err != nil {
		p.fail(w, f, err)
		return
	}
	defer l.release()
	f.lease = l
	if r.Header.Get("Upgrade") != "" { // held open until the upgraded connection ends
		p.flight.add()
		defer p.flight.done()
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), forwardKey{}, f)))
}

// rewrite points the outgoing request at the leased machine, keeps the
// client's Host, and adds the headers Fly's HTTP handler adds.
func rewrite(pr *httputil.ProxyRequest) {
	f := forwardOf(pr.In.Context())
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = f.lease.target(f.svc.InternalPort)
	pr.Out.Host = pr.In.Host
	client := clientAddr(pr.In.RemoteAddr)
	xff := client
	if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + client
	}
	port := strconv.Itoa(int(f.svc.Port))
	h := pr.Out.Header
	h.Set("X-Forwarded-For", xff)
	h.Set("X-Forwarded-Proto", "http")
	h.Set("X-Forwarded-Ssl", "off")
	h.Set("X-Forwarded-Port", port)
	h.Set("Fly-Forwarded-Port", port)
	h.Set("Fly-Client-Ip", client)
	h.Set("Fly-Request-Id", f.id)
	h.Add("Via", via)
}

func modifyResponse(res *http.Response) error {
	f := forwardOf(res.Request.Context())
	f.status = res.StatusCode
	res.Header.Set("Fly-Request-Id", f.id)
	res.Header.Add("Via", via)
	f.lease.firstByte()
	return nil
}

// upstreamError answers a request the machine did not answer: 502 when the
// machine refused or dropped it, nothing when the client left first.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	f := forwardOf(r.Context())
	if r.Context().Err() != nil {
		p.fail(w, f, context.Cause(r.Context()))
		return
	}
	if isDialError(err) {
		f.lease.suspect()
	}
	p.fail(w, f, f.lease.upstreamError(err))
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// redirectHTTPS answers as Fly's force_https does: 301 to the same host
// (without its port) and path over https.
func redirectHTTPS(w http.ResponseWriter, r *http.Request, id string) int {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	hdr := w.Header()
	hdr.Set("Location", "https://"+host+r.URL.RequestURI())
	hdr.Set("Fly-Request-Id", id)
	hdr.Set("Via", via)
	w.WriteHeader(http.StatusMovedPermanently)
	return http.StatusMovedPermanently
}

func newRequestID() string {
	var b [12]byte
	x, y := rand.Uint64(), rand.Uint32()
	for i := range 8 {
		b[i] = byte(x >> (8 * i))
	}
	for i := range 4 {
		b[8+i] = byte(y >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}

// appTransport sends each request through its app's transport, so pooled
// connections to a stopped machine can be dropped without touching other apps.
type appTransport struct{}

func (appTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return forwardOf(r.Context()).lease.app.transport.RoundTrip(r)
}

// bufferPool recycles ReverseProxy's 32 KiB copy buffers.
type bufferPool struct{ pool sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{pool: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte { return *b.pool.Get().(*[]byte) }

func (b *bufferPool) Put(buf []byte) { b.pool.Put(&buf) }
