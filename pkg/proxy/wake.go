package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"
)

// errWakeDeadline cancels a wake that ran out of WakeTimeout; the waiters
// get a message saying how far it got.
var errWakeDeadline = errors.New("wake deadline")

// cause is who made the proxy wake an app, for the log.
type cause struct {
	source     string // client address, or what called Prewake ("dns")
	host, path string
	reason     string // "" (nothing reachable), "soft_limit", "prewake"
}

func requestCause(r *http.Request) cause {
	return cause{source: clientAddr(r.RemoteAddr), host: r.Host, path: r.URL.Path}
}

// wake is one attempt to make a machine reachable on a port. An app has at
// most one in flight, and every request that finds nothing reachable waits
// on it.
type wake struct {
	m     *machine
	port  uint16
	start bool // call Machines.Start; false: it runs, only its port is dialed
	cause cause
	err   error // why it failed; set under app.mu before the broadcast

	// Written by the wake's goroutine only, read after its broadcast.
	addr                                        netip.Addr // where to dial first; zero: ask the daemon
	began, startCalled, startReturned, portOpen time.Time
	lastDial                                    error
	conn                                        net.Conn // the dial that found the port open
	firstSeen                                   atomic.Bool
}

// wakeFor starts waking the machine that can serve the port soonest. When
// that is one the proxy is stopping, it starts nothing: the waiters look
// again when a stop ends (endStop), and wake the first machine stopped then,
// instead of a wake parked behind one stop holding every request while
// another ends first. Called with a.mu held.
func (a *app) wakeFor(svc Service, c cause) error {
	m := a.wakeCandidate(svc.InternalPort)
	switch {
	case m == nil && a.listErr != nil:
		return fmt.Errorf("app %s: %w: %v", a.name, ErrMachineList, a.listErr)
	case m == nil:
		return fmt.Errorf("app %s has %w", a.name, ErrNoMachines)
	case !m.started() && !svc.AutoStart:
		return fmt.Errorf("app %s has %w", a.name, ErrAutoStartOff)
	case m.stopping():
		return nil
	}
	return a.startWake(m, svc, c)
}

func (a *app) wakeCandidate(port uint16) *machine {
	var best *machine
	for _, m := range a.machines {
		if m.beingWoken() || m.reachable(port) {
			continue
		}
		if best == nil || m.wakeRank() < best.wakeRank() {
			best = m
		}
	}
	return best
}

// startWake makes w the app's wake in flight and runs it. Called with a.mu held.
func (a *app) startWake(m *machine, svc Service, c cause) error {
	w := &wake{m: m, port: svc.InternalPort, start: !m.started(), cause: c, began: a.p.clock.Now()}
	if !w.start {
		w.addr = m.addr // a started machine keeps its address; a restarted one may not
	}
	if !a.p.goOwned(func() { a.runWake(w) }) {
		return ErrClosed
	}
	m.wakeBegan(w)
	a.wake = w
	a.p.metrics.wakes.Add(1)
	a.logWakeStart(w)
	return nil
}

func (a *app) runWake(w *wake) {
	ctx, stop := a.p.withTimeout(a.p.base, a.p.cfg.WakeTimeout, errWakeDeadline)
	defer stop()
	a.finishWake(w, a.bringUp(ctx, w))
}

// bringUp starts the machine and dials it.
func (a *app) bringUp(ctx context.Context, w *wake) error {
	w.startCalled = a.p.clock.Now()
	if w.start {
		if err := a.p.machines.Start(ctx, a.name, w.m.id); err != nil {
			return a.startError(ctx, w, err)
		}
	}
	w.startReturned = a.p.clock.Now()
	c, err := a.dialUntilOpen(ctx, w)
	if err != nil {
		return err
	}
	w.portOpen, w.conn = a.p.clock.Now(), c
	return nil
}

// finishWake publishes the outcome to every waiter.
func (a *app) finishWake(w *wake, err error) {
	a.logWakeEnd(w, err)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.wake = nil
	m := w.m
	m.wakeEnded(w, err)
	if err != nil {
		w.err = err
		a.quietUntil = a.p.clock.Now().Add(scaleOutPause)
		a.listedAt.Store(0)
	} else {
		a.keepSpare(w.conn)
	}
	if m.active == 0 {
		a.becameIdle(m) // a machine that runs but never answered is stopped too
	}
	a.broadcast()
}

func (a *app) startError(ctx context.Context, w *wake, err error) error {
	if ctx.Err() != nil {
		return a.ctxError(ctx, w)
	}
	if why := a.p.machines.Failure(a.name, w.m.id); why != "" {
		return a.failedError(w, why)
	}
	return fmt.Errorf("app %s %w: machine %s: %v", a.name, ErrStartFailed, w.m.id, err)
}

func (a *app) failedError(w *wake, why string) error {
	return fmt.Errorf("app %s %w: machine %s %s", a.name, ErrStartFailed, w.m.id, why)
}

// ctxError says how far a wake got when it ran out of time, or that the
// proxy is closing.
func (a *app) ctxError(ctx context.Context, w *wake) error {
	if err := context.Cause(ctx); !errors.Is(err, errWakeDeadline) {
		return err
	}
	t := a.p.cfg.WakeTimeout
	if w.startReturned.IsZero() {
		return fmt.Errorf("app %s: %w: machine %s did not start within %s", a.name, ErrWakeTimeout, w.m.id, t)
	}
	last := ""
	if w.lastDial != nil {
		last = fmt.Sprintf(" (last attempt: %v)", w.lastDial)
	}
	return fmt.Errorf("app %s: %w: machine %s did not accept connections on port %d within %s%s",
		a.name, ErrWakeTimeout, w.m.id, w.port, t, last)
}

// Prewake starts waking an app without a request, as when its .flycast name
// is looked up, so the machine boots while the client connects; caller says
// who asked ("dns") for the log. It shares the app's single wake, and does
// nothing when a machine is reachable, a wake is in flight, auto start is
// off, or the app's service is unknown (it is found by "<app>.flycast" on
// port 80 until a request has used another).
func (p *Proxy) Prewake(appName, caller string) {
	svc, ok := p.prewakeService(appName)
	if !ok || !svc.AutoStart || p.closing.Load() {
		return
	}
	a := p.app(appName)
	a.refreshUnlessWaking()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.svc.App == "" {
		a.use(svc)
	}
	if a.wake != nil || a.anyReachable(svc.InternalPort) {
		return
	}
	_ = a.wakeFor(svc, cause{source: caller, reason: "prewake"})
}

func (p *Proxy) prewakeService(name string) (Service, bool) {
	if v, ok := p.apps.Load(name); ok {
		a := v.(*app)
		a.mu.Lock()
		svc := a.svc
		a.mu.Unlock()
		if svc.App != "" {
			return svc, true
		}
	}
	return p.catalog.ByHost(name+".flycast", 80)
}
