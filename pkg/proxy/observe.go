package proxy

import "time"

// A wake logs three lines: who caused it, how long each phase took once the
// port opened (or why it failed), and the first byte the machine sent back.

func (a *app) logWakeStart(w *wake) {
	reason := w.cause.reason
	if reason == "" {
		reason = "no machine reachable"
	}
	a.p.log.Info("waking app", "app", a.name, "machine", w.m.id, "port", w.port,
		"cause", w.cause.source, "host", w.cause.host, "path", w.cause.path,
		"reason", reason, "start", w.start)
}

func (a *app) logWakeEnd(w *wake, err error) {
	now := a.p.clock.Now()
	if err != nil {
		a.p.metrics.wakeFailures.Add(1)
		a.p.log.Warn("wake failed", "app", a.name, "machine", w.m.id,
			"after", now.Sub(w.began), "err", err)
		return
	}
	queued := w.startCalled.Sub(w.began)
	start := w.startReturned.Sub(w.startCalled)
	open := w.portOpen.Sub(w.startReturned)
	a.p.metrics.phases[phaseQueued].observe(queued)
	a.p.metrics.phases[phaseStart].observe(start)
	a.p.metrics.phases[phasePortOpen].observe(open)
	a.p.log.Info("app awake", "app", a.name, "machine", w.m.id, "port", w.port,
		PhaseQueued, queued, PhaseStart, start, PhasePortOpen, open)
}

func (a *app) logFirstByte(w *wake) {
	now := a.p.clock.Now()
	d := now.Sub(w.portOpen)
	a.p.metrics.phases[phaseFirstByte].observe(d)
	a.p.log.Info("first byte from woken machine", "app", a.name, "machine", w.m.id,
		PhaseFirstByte, d, "total", now.Sub(w.began))
}

func (a *app) logStop(m *machine, suspend bool, took time.Duration, err error) {
	how := StopIdle
	if suspend {
		how = StopSuspend
	}
	if err != nil {
		a.p.log.Warn("idle stop failed", "app", a.name, "machine", m.id, "how", how, "err", err)
		return
	}
	a.p.metrics.stop(suspend)
	a.p.log.Info("stopped idle machine", "app", a.name, "machine", m.id, "how", how, "took", took)
}
