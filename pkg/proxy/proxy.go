// Package proxy routes Flycast traffic to an app's machines, waking stopped machines on the first request and stopping idle ones.
//
// The files read in the order of a request's life. listen.go accepts
// connections on private addresses and route.go finds their service;
// http.go forwards HTTP requests and tcp.go splices raw TCP. Both ask
// balance.go for a lease (lease.go) on the least-loaded reachable machine of
// the app (app.go); machine.go keeps each machine's phase (down, trusted,
// unverified, waking, stopping) and its transitions. When there is none the
// request waits in the app's bounded queue (queue.go) while wake.go brings one
// machine up, once per app however many requests arrive, and dial.go dials it
// until its port answers.
// idle.go stops a machine that served nothing for its idle timeout.
// errors.go maps every failure to 502, 503 or 504 with a one-line reason;
// observe.go logs each wake and metrics.go counts what happened.
package proxy

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"sync"
	"sync/atomic"
	"time"
)

// Config is what a Proxy needs. Catalog and Machines are required.
type Config struct {
	Catalog  Catalog
	Machines Machines
	Clock    Clock        // nil: the wall clock
	Logger   *slog.Logger // nil: discard
	// WakeTimeout bounds how long a request waits for a machine (default 60s).
	WakeTimeout time.Duration
	// QueueLimit bounds the requests and connections waiting per app
	// (default 10 000); one more gets 503.
	QueueLimit int
	// DrainTimeout bounds how long Close waits for open requests and
	// connections before cutting them (default 10s).
	DrainTimeout time.Duration
}

// Defaults for Config's zero values.
const (
	DefaultWakeTimeout  = 60 * time.Second
	DefaultQueueLimit   = 10_000
	DefaultDrainTimeout = 10 * time.Second
)

// Proxy forwards Flycast connections to app machines. It is safe for
// concurrent use; Close stops it.
type Proxy struct {
	cfg      Config
	catalog  Catalog
	machines Machines
	clock    Clock
	log      *slog.Logger
	metrics  metrics
	rp       *httputil.ReverseProxy
	srv      *http.Server
	apps     sync.Map // app name → *app
	flight   flight   // upgraded requests and TCP connections, for Close's drain
	sockets  sockets  // upgraded client connections by machine, for GoingAway
	closing  atomic.Bool

	// base is the parent of every request and background operation; Close
	// cancels it with ErrClosed once the drain is over.
	base   context.Context
	cancel context.CancelCauseFunc

	closeOnce sync.Once // Close's drain runs once, after a Quiesce too

	// mu guards the fields below; wg counts every goroutine the proxy starts
	// and is only added to under mu while the proxy is open.
	mu        sync.Mutex
	closed    bool
	listeners []net.Listener
	conns     map[net.Conn]struct{} // raw TCP connections, cut when the drain ends
	wg        sync.WaitGroup
}

// New returns a Proxy that listens nowhere yet; see Listen.
func New(cfg Config) *Proxy {
	cfg = withDefaults(cfg)
	p := &Proxy{cfg: cfg, catalog: cfg.Catalog, machines: cfg.Machines, clock: cfg.Clock,
		log: cfg.Logger, conns: map[net.Conn]struct{}{}}
	p.base, p.cancel = context.WithCancelCause(context.Background())
	p.rp = p.newReverseProxy()
	p.srv = p.newServer()
	return p
}

func withDefaults(cfg Config) Config {
	if cfg.Clock == nil {
		cfg.Clock = wallClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.WakeTimeout <= 0 {
		cfg.WakeTimeout = DefaultWakeTimeout
	}
	if cfg.QueueLimit <= 0 {
		cfg.QueueLimit = DefaultQueueLimit
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	return cfg
}

// Metrics returns a copy of the proxy's counters and histograms.
func (p *Proxy) Metrics() Snapshot { return p.metrics.snapshot() }

// Close stops the listeners and idle timers, lets open requests and
// connections finish for up to DrainTimeout, then cuts the rest and cancels
// wakes and stops in flight. It returns once every goroutine it owns ended.
func (p *Proxy) Close() error {
	p.shut()
	p.closeOnce.Do(p.close)
	return nil
}

func (p *Proxy) close() {
	p.stopIdleTimers()
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.DrainTimeout)
	defer cancel()
	_ = p.srv.Shutdown(ctx) // waits for requests, including those waiting on a wake
	_ = p.flight.wait(ctx)
	p.cancel(ErrClosed)
	p.cutConns()
	_ = p.srv.Close()
	_ = p.flight.wait(context.Background()) // cut connections end promptly
	p.wg.Wait()
	p.apps.Range(func(_, v any) bool {
		v.(*app).closeConns()
		return true
	})
}

// shut marks the proxy closed and closes its listeners; false if it was already.
func (p *Proxy) shut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.closed = true
	p.closing.Store(true)
	for _, ln := range p.listeners {
		_ = ln.Close()
	}
	return true
}

// goOwned runs f in a goroutine Close waits for; false (and f never runs)
// once the proxy is closed.
func (p *Proxy) goOwned(f func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
	return true
}

func (p *Proxy) cutConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}
