package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/hangarhq/hangar/ipalloc"
)

// Listen accepts connections on addr and returns the address it bound (port 0
// picks a free one). addr must be loopback or inside fdaa::/16
// (ErrNotPrivate): Flycast is private and the proxy never faces the internet.
// Each connection goes to the service the catalog has at its local address;
// on a loopback listener without one, HTTP requests are routed by their
// Host header instead.
func (p *Proxy) Listen(addr netip.AddrPort) (netip.AddrPort, error) {
	if !IsPrivate(addr.Addr()) {
		return netip.AddrPort{}, fmt.Errorf("listening on %s: %w", addr, ErrNotPrivate)
	}
	ln, err := listenConfig.Listen(context.Background(), "tcp", addr.String())
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("listening on %s: %w", addr, err)
	}
	rl := &routeListener{Listener: ln, p: p, loopback: addr.Addr().Unmap().IsLoopback()}
	if err := p.serve(rl); err != nil {
		_ = ln.Close()
		return netip.AddrPort{}, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return addrPortOf(ln.Addr()), nil
}

// IsPrivate reports whether the proxy may listen on a: loopback, or the
// fdaa::/16 range that holds every organization's 6PN and Flycast addresses.
func IsPrivate(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || ipalloc.ULARange().Contains(a)
}

// serve registers the listener and starts the HTTP server's accept loop on it.
func (p *Proxy) serve(rl *routeListener) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.listeners = append(p.listeners, rl)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := p.srv.Serve(rl); err != nil && !errors.Is(err, http.ErrServerClosed) && !p.closing.Load() && !rl.removed.Load() {
			p.log.Error("proxy listener stopped", "addr", rl.Addr(), "err", err)
		}
	}()
	return nil
}

// newServer is the one HTTP server behind every listener. Its requests derive
// from p.base, so Close can end upgraded connections the server no longer tracks.
func (p *Proxy) newServer() *http.Server {
	return &http.Server{
		Handler:           http.HandlerFunc(p.serveHTTP),
		BaseContext:       func(net.Listener) context.Context { return p.base },
		ConnContext:       connContext,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
	}
}

// routeListener hands the HTTP server only connections for HTTP services;
// raw TCP ones are spliced here and unknown ones closed.
type routeListener struct {
	net.Listener
	p        *Proxy
	loopback bool
	removed  atomic.Bool // closed by Unlisten, not by a failure
}

func (l *routeListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if hc := l.p.route(c, l.loopback); hc != nil {
			return hc, nil
		}
	}
}

func addrPortOf(a net.Addr) netip.AddrPort {
	var ap netip.AddrPort
	if ta, ok := a.(*net.TCPAddr); ok {
		ap = ta.AddrPort()
	} else {
		ap, _ = netip.ParseAddrPort(a.String())
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()) // IPv4 arrives as ::ffff:a.b.c.d
}
