package proxy

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// The dial loop that decides a woken machine is ready. A refused connect on
// the bridge network returns at once, so the loop's pace is its pause: 2 ms
// plus an eighth of the time waited so far, at most 50 ms. An app that opens
// its port early is seen within about 2 ms; a slow one costs few attempts
// and is seen at most an eighth of its start time (and 50 ms) late. The
// attempt timeout only matters while the machine's address does not answer
// at all yet.
const (
	dialBackoffMin     = 2 * time.Millisecond
	dialBackoffMax     = 50 * time.Millisecond
	dialAttemptTimeout = 500 * time.Millisecond
)

// Connections to machines for requests and TCP clients. A spare left by the
// dial loop is used only while fresh: an app may close a connection that
// sends nothing.
const (
	upstreamDialTimeout = 5 * time.Second
	upstreamKeepAlive   = 30 * time.Second
	spareTTL            = time.Second
)

// dialUntilOpen connects to the machine's port until it accepts, and gives up
// as soon as the daemon says the machine failed. It dials the machine's own
// address, never a published port, which would accept before the app
// listens. Before each attempt it asks the daemon how the machine is doing,
// except for the first attempt at a machine that was already running.
func (a *app) dialUntilOpen(ctx context.Context, w *wake) (net.Conn, error) {
	addr, began := w.addr, time.Now()
	for {
		if !addr.IsValid() {
			var why string
			if addr, why = a.probe(w.m.id); why != "" {
				return nil, a.failedError(w, why)
			}
		}
		if c, err := a.dialAttempt(ctx, w, addr); c != nil || err != nil {
			return c, err
		}
		addr = netip.Addr{}
		if pause(ctx, min(dialBackoffMin+time.Since(began)/8, dialBackoffMax)) != nil {
			return nil, a.ctxError(ctx, w)
		}
	}
}

// dialAttempt dials once; a refused or unanswered dial returns neither a
// connection nor an error, only noting why in w.lastDial.
func (a *app) dialAttempt(ctx context.Context, w *wake, addr netip.Addr) (net.Conn, error) {
	if !addr.IsValid() {
		return nil, nil // the daemon has no address for it yet
	}
	c, err := dialOnce(ctx, addr, w.port)
	switch {
	case err == nil:
		return c, nil
	case ctx.Err() != nil: // keep the last real answer for the message
		return nil, a.ctxError(ctx, w)
	}
	w.lastDial = err
	return nil, nil
}

// probe asks the daemon for the machine's address and why it failed, if it did.
func (a *app) probe(id string) (netip.Addr, string) {
	if why := a.p.machines.Failure(a.name, id); why != "" {
		return netip.Addr{}, why
	}
	list, err := a.p.machines.List(a.name)
	if err != nil {
		return netip.Addr{}, "could not be looked up: " + err.Error()
	}
	for _, m := range list {
		switch {
		case m.ID != id:
		case m.State == StateFailed:
			return m.Addr, "failed"
		default:
			return m.Addr, ""
		}
	}
	return netip.Addr{}, "was destroyed"
}

func dialOnce(ctx context.Context, addr netip.Addr, port uint16) (net.Conn, error) {
	d := net.Dialer{Timeout: dialAttemptTimeout, KeepAlive: upstreamKeepAlive}
	return d.DialContext(ctx, "tcp", netip.AddrPortFrom(addr, port).String())
}

// dial connects to a machine for a request or connection. The first one
// after a wake gets the connection the dial loop opened, which saves a
// connect and spares the app a connection closed unused.
func (a *app) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if c := a.takeSpare(addr); c != nil {
		return c, nil
	}
	d := net.Dialer{Timeout: upstreamDialTimeout, KeepAlive: upstreamKeepAlive}
	return d.DialContext(ctx, network, addr)
}

func (a *app) takeSpare(addr string) net.Conn {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.spare
	if c == nil || c.RemoteAddr().String() != addr {
		return nil
	}
	a.spare = nil
	if a.p.clock.Now().Sub(a.spareAt) > spareTTL {
		_ = c.Close()
		return nil
	}
	return c
}

// keepSpare stores the dial loop's connection for the next dial. Called
// with a.mu held.
func (a *app) keepSpare(c net.Conn) {
	a.dropSpare()
	a.spare, a.spareAt = c, a.p.clock.Now()
}

// dropSpare closes an unused spare. Called with a.mu held.
func (a *app) dropSpare() {
	if a.spare != nil {
		_ = a.spare.Close()
		a.spare = nil
	}
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
