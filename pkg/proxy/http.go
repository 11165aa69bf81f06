package proxy

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

const via = "1.1 hangar"

// forward is one HTTP request on its way through the reverse proxy.
type forward struct {
	svc    Service
	cause  cause
	lease  *lease // nil once a re-lease after a failed dial failed
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
		Transport:      appTransport{p: p},
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
	f.cause = requestCause(r)
	l, err := p.acquire(r.Context(), svc, f.cause)
	if err != nil {
		p.fail(w, f, err)
		return
	}
	f.lease = l
	defer func() { // the transport may have moved the request to another lease
		if f.lease != nil {
			f.lease.release()
		}
	}()
	if r.Header.Get("Upgrade") != "" { // held open until the upgraded connection ends
		p.flight.add()
		defer p.flight.done()
		rec := &hijackRecorder{ResponseWriter: w, p: p, f: f}
		defer rec.done()
		w = rec
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
	if f.lease == nil { // waking the app again after a failed dial failed: 503/504 and why
		p.fail(w, f, err)
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
type appTransport struct{ p *Proxy }

// maxRedials bounds how often one request moves on after a failed dial.
const maxRedials = 2

// RoundTrip sends the request to its leased machine. A failed dial means nothing reached
// the machine (it was stopped or removed since the proxy last looked), so the request is
// safe to resend: the proxy looks again, wakes the app if it must, and sends a copy
// pointed at the new lease, instead of answering 502 for a machine that merely went to
// sleep. The copy carries the same body, which nothing has read yet; a request whose
// body the transport began to read is never resent. r itself is left as it came.
func (t appTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f := forwardOf(r.Context())
	out, body := holdBody(r)
	resp, err := f.lease.app.transport.RoundTrip(out)
	for i := 0; i < maxRedials && isDialError(err) && body.unread() && r.Context().Err() == nil; i++ {
		if err = t.p.lease(r.Context(), f); err != nil {
			break
		}
		out = redirect(out, f.lease.target(f.svc.InternalPort))
		resp, err = f.lease.app.transport.RoundTrip(out)
	}
	if err != nil {
		body.close()
	}
	return resp, err
}

// redirect is a copy of r sent to another machine.
func redirect(r *http.Request, host string) *http.Request {
	out, u := *r, *r.URL
	u.Host = host
	out.URL = &u
	return &out
}

// heldBody is a request body the transport may be handed again after a refused dial.
// The transport closes the body of a request it could not send; until it read from
// the body, that Close is held back, so a resend gets the body whole.
type heldBody struct {
	rc   io.ReadCloser
	read atomic.Bool
}

// holdBody returns the request to send first, with its body held; a request without
// a body goes as it is, and its nil heldBody counts as unread.
func holdBody(r *http.Request) (*http.Request, *heldBody) {
	if r.Body == nil || r.Body == http.NoBody {
		return r, nil
	}
	b := &heldBody{rc: r.Body}
	out := *r
	out.Body = b
	return &out, b
}

func (b *heldBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.rc.Read(p)
}

// Close closes the body once the transport read from it; before, it waits for a resend.
func (b *heldBody) Close() error {
	if b.read.Load() {
		return b.rc.Close()
	}
	return nil
}

func (b *heldBody) unread() bool { return b == nil || !b.read.Load() }

// close closes the body for good, when no resend will come.
func (b *heldBody) close() {
	if b != nil {
		_ = b.rc.Close()
	}
}

// lease gives back the request's lease on a machine that refused a dial and takes a
// new one, waking the app if no machine is up.
func (p *Proxy) lease(ctx context.Context, f *forward) error {
	f.lease.suspect()
	f.lease.release()
	f.lease = nil
	l, err := p.acquire(ctx, f.svc, f.cause)
	if err != nil {
		return err
	}
	f.lease = l
	return nil
}

// bufferPool recycles ReverseProxy's 32 KiB copy buffers.
type bufferPool struct{ pool sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{pool: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte { return *b.pool.Get().(*[]byte) }

func (b *bufferPool) Put(buf []byte) { b.pool.Put(&buf) }
