package proxy

import "time"

// becameIdle notes that a machine has no lease left and arms its idle timer.
// The timer is not reset on every request: when it fires it re-arms itself
// for whatever is left since idleSince. Called with a.mu held.
func (a *app) becameIdle(m *machine) {
	m.idleSince = a.p.clock.Now()
	if m.timer == nil && stopsWhenIdle(a.svc) {
		a.arm(m, idleTimeout(a.svc))
	}
}

// use records the settings of the service a request came for. When they
// turn idle stops on (the first request, or a changed fly.toml), machines
// that already sit idle get their timers. Called with a.mu held.
func (a *app) use(svc Service) {
	old := a.svc
	a.svc = svc
	if stopsWhenIdle(old) || !stopsWhenIdle(svc) {
		return
	}
	for _, m := range a.machines {
		if m.running() && m.active == 0 && m.timer == nil {
			a.becameIdle(m)
		}
	}
}

func (a *app) arm(m *machine, d time.Duration) {
	if a.p.closing.Load() {
		return
	}
	m.timer = a.p.clock.AfterFunc(d, func() { a.idleCheck(m) })
}

// idleCheck runs when a machine's idle timer fires. It stops the machine when
// it served nothing for the whole idle timeout and more than MinRunning
// machines run; otherwise it re-arms for the time left (or, when the others
// are too few, for another timeout, in case more start meanwhile).
func (a *app) idleCheck(m *machine) {
	a.refresh()
	a.mu.Lock()
	defer a.mu.Unlock()
	m.timer = nil
	if !a.idle(m) {
		return
	}
	timeout := idleTimeout(a.svc)
	if left := timeout - a.p.clock.Now().Sub(m.idleSince); left > 0 {
		a.arm(m, left)
		return
	}
	if a.running() <= a.svc.MinRunning {
		a.arm(m, timeout)
		return
	}
	a.beginStop(m)
}

func (a *app) idle(m *machine) bool {
	return a.machines[m.id] == m && m.active == 0 && m.started() && stopsWhenIdle(a.svc)
}

// running counts the machines that are started and not being stopped.
func (a *app) running() int {
	n := 0
	for _, m := range a.machines {
		if m.running() {
			n++
		}
	}
	return n
}

// beginStop stops the machine and marks it stopping, so no request is leased
// to it and none wakes it before the stop ends; the stop's goroutine needs
// a.mu, held here, to end it. Called with a.mu held.
func (a *app) beginStop(m *machine) {
	done := make(chan struct{})
	suspend := a.svc.AutoStop == AutoStopSuspend
	if a.p.goOwned(func() { a.runStop(m, suspend, done) }) {
		m.stopBegan(done)
	}
}

func (a *app) runStop(m *machine, suspend bool, done chan struct{}) {
	began := a.p.clock.Now()
	err := a.p.machines.Stop(a.p.base, a.name, m.id, suspend)
	a.logStop(m, suspend, a.p.clock.Now().Sub(began), err) // counted before anyone sees it stopped
	a.endStop(m, suspend, err, done)
	a.transport.CloseIdleConnections()
}

// endStop records the stop's outcome, failed or not, and tells the requests
// waiting with nothing to serve them to look again: they wake this machine,
// or another that is stopped by now.
func (a *app) endStop(m *machine, suspend bool, err error, done chan struct{}) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m.stopEnded(done, suspend, err)
	if err != nil {
		a.listedAt.Store(0) // the machine's state is unknown: the next List says
	}
	a.dropSpare()
	close(done)
	a.broadcast()
}

// stopIdleTimers is Close's: after it, no idle stop begins.
func (p *Proxy) stopIdleTimers() {
	p.apps.Range(func(_, v any) bool {
		a := v.(*app)
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, m := range a.machines {
			m.stopTimer()
		}
		return true
	})
}

func stopsWhenIdle(svc Service) bool {
	return svc.AutoStop == AutoStopStop || svc.AutoStop == AutoStopSuspend
}

func idleTimeout(svc Service) time.Duration {
	if svc.IdleTimeout > 0 {
		return svc.IdleTimeout
	}
	return DefaultIdleTimeout
}
