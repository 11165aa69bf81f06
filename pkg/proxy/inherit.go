package proxy

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
)

// Adopt serves connections for addr on ln, a listener a predecessor agent handed over
// (its queued connections are served here, none is lost), as Listen does on a new one.
func (p *Proxy) Adopt(addr netip.AddrPort, ln net.Listener) (netip.AddrPort, error) {
	if !IsPrivate(addr.Addr()) {
		return netip.AddrPort{}, fmt.Errorf("listening on %s: %w", addr, ErrNotPrivate)
	}
	rl := &routeListener{Listener: ln, p: p, loopback: addr.Addr().Unmap().IsLoopback()}
	if err := p.serve(rl); err != nil {
		return netip.AddrPort{}, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return addrPortOf(ln.Addr()), nil
}

// HandoffName names a listener among the files handed to a successor.
func HandoffName(addr netip.AddrPort) string { return "proxy " + addr.String() }

// HandoffFiles are the proxy's TCP listeners, for a successor agent.
func (p *Proxy) HandoffFiles() (map[string]*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]*os.File{}
	for _, ln := range p.listeners {
		rl, ok := ln.(*routeListener)
		if !ok {
			continue
		}
		tl, ok := rl.Listener.(*net.TCPListener)
		if !ok {
			continue // the in-process listener of hangar proxy
		}
		f, err := tl.File()
		if err != nil {
			return nil, err
		}
		out[HandoffName(addrPortOf(tl.Addr()))] = f
	}
	return out, nil
}

// Quiesce stops accepting (a successor accepts now) and idle stops, and waits, up to
// ctx, for the HTTP requests in flight, wakes included; upgraded and raw TCP connections
// stay open until Close drains them.
// Requests that already reached this proxy are still served in full (a wake too): the
// proxy is not closing, it only stops taking new connections.
func (p *Proxy) Quiesce(ctx context.Context) {
	p.stopIdleTimers()
	_ = p.srv.Shutdown(ctx) // closes the listeners first, then waits for requests
}
