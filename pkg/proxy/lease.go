package proxy

import (
	"fmt"
	"net/netip"
)

// lease is one request's or connection's hold on a machine; release gives
// it back.
type lease struct {
	app  *app
	m    *machine
	addr netip.Addr
	wake *wake // the wake that started the machine, until its first byte
}

func (l *lease) target(port uint16) string { return netip.AddrPortFrom(l.addr, port).String() }

// release gives the lease back.
func (l *lease) release() {
	a := l.app
	a.mu.Lock()
	defer a.mu.Unlock()
	a.giveBack(l.m)
}

// giveBack frees a slot on m: the first waiter that can use it gets it, and a machine
// left with nothing arms its idle timer. Called with a.mu held.
func (a *app) giveBack(m *machine) {
	m.active--
	if a.queue.Len() > 0 {
		a.handOff()
	}
	if m.active == 0 {
		a.becameIdle(m)
	}
}

// suspect makes the proxy dial a machine again before trusting it, after a
// dial to it failed: the next request re-reads the list and probes or wakes it.
func (l *lease) suspect() {
	a := l.app
	a.mu.Lock()
	l.m.suspected()
	a.mu.Unlock()
	a.listedAt.Store(0)
}

// firstByte records the first response of a woken machine, once.
func (l *lease) firstByte() {
	if l.wake != nil && l.wake.firstSeen.CompareAndSwap(false, true) {
		l.app.logFirstByte(l.wake)
	}
}

// upstreamError says which machine failed a request, and why if known.
func (l *lease) upstreamError(err error) error {
	why := ""
	if f := l.app.p.machines.Failure(l.app.name, l.m.id); f != "" {
		why = " (machine " + f + ")"
	}
	return fmt.Errorf("app %s: machine %s %w: %v%s", l.app.name, l.m.id, ErrUpstream, err, why)
}
