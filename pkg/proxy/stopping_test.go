package proxy

import (
	"errors"
	"net/http"
	"testing"
)

// No request waits behind a stop: one that comes while a machine is being
// stopped goes to another running machine, or starts another stopped one at
// once, or, with none, waits only for that stop to end and then wakes it.

// stopper begins stopping one running machine of the harness's app and
// leaves the stop in flight: the proxy's idle stop, held at a gate, or the
// daemon's (the CLI's), listed stopping. It returns the machine's id.
type stopper struct {
	name string
	stop func(h *harness) string
}

var stoppers = []stopper{
	{"the proxy's idle stop", func(h *harness) string {
		h.get("/")
		waitFor(h.t, "the lease to end", h.settled)
		gate, _ := newGate(h.t)
		h.fm.set(func(f *fakeMachines) { f.stopGate = gate })
		h.clock.Advance(h.svc.IdleTimeout)
		for _, m := range h.fm.ms {
			if h.machine(m.id).stopping {
				return m.id
			}
		}
		h.t.Fatal("no machine stopping after the idle timeout")
		return ""
	}},
	{"the daemon's stop", func(h *harness) string {
		a := h.fm.ms[0].id
		h.fm.set(func(f *fakeMachines) { f.get(a).state = StateStopping })
		h.p.Changed(h.svc.App)
		return a
	}},
}

func TestRequestDuringAStopGoesToAnotherRunningMachine(t *testing.T) {
	for _, st := range stoppers {
		t.Run(st.name, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
			fm.runNow(fm.ms[0].id)
			fm.runNow(fm.ms[1].id)
			svc := webService()
			svc.MinRunning = 1 // the proxy stops one of the two
			h := newHarness(t, svc, fm)
			a := st.stop(h)
			b := fm.ms[0].id
			if b == a {
				b = fm.ms[1].id
			}
			for range 10 { // a random choice among the two would pick a sometimes
				if resp, body := h.get("/"); resp.StatusCode != 200 || body != "hello from "+b {
					t.Fatalf("request while %s is stopping: %d %q, want %s to serve it", a, resp.StatusCode, body, b)
				}
			}
			if starts, _ := fm.counts(); starts != 0 {
				t.Errorf("Start called %d times, want none: %s runs", starts, b)
			}
		})
	}
}

func TestRequestDuringAStopStartsAnotherStoppedMachine(t *testing.T) {
	for _, st := range stoppers {
		t.Run(st.name, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
			a, b := fm.ms[0].id, fm.ms[1].id
			fm.runNow(a)
			h := newHarness(t, webService(), fm)
			st.stop(h)
			if resp, body := h.get("/"); resp.StatusCode != 200 || body != "hello from "+b {
				t.Fatalf("request while %s is stopping: %d %q, want %s started for it", a, resp.StatusCode, body, b)
			}
			fm.set(func(f *fakeMachines) {
				if f.get(a).starts != 0 || f.get(b).starts != 1 {
					t.Errorf("starts: %s %d, %s %d; want 0 and 1", a, f.get(a).starts, b, f.get(b).starts)
				}
			})
		})
	}
}

// Two machines stop at once and a request comes: it is served by the first
// whose stop ends, whichever it is, and so is the next. A wake used to pick
// one of them and wait for its stop, and every request after it waited on
// that wake, though the other machine was stopped and could be started.
func TestRequestDuringTwoStopsStartsTheOneThatEndsFirst(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
	gates := map[string]func(){}
	for _, m := range fm.ms {
		fm.runNow(m.id)
		gate, open := newGate(t)
		m.stopGate, gates[m.id] = gate, open
	}
	h := newHarness(t, webService(), fm)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, "both stops", func() bool { _, stops := fm.counts(); return stops == 2 })

	first := h.goGet("/first")
	waitFor(t, "the request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	ends := fm.ms[1].id
	if h.wakeTarget() == ends { // end the stop the request is not waiting for, if it waits for one
		ends = fm.ms[0].id
	}
	gates[ends]()
	want := "hello from " + ends
	if r := h.receive(first); r.code != 200 || r.body != want {
		t.Fatalf("request during both stops: %d %q, want %q", r.code, r.body, want)
	}
	if resp, body := h.get("/second"); resp.StatusCode != 200 || body != want {
		t.Fatalf("request after one stop ended: %d %q, want %q", resp.StatusCode, body, want)
	}
}

// The only machine's stop fails: the request waiting for it is still served,
// as soon as the stop returns.
func TestRequestBehindAFailedStopIsServed(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	gate, release := newGate(t)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	fm.set(func(f *fakeMachines) { f.stopGate, f.stopErr = gate, errors.New("engine: container busy") })
	h.clock.Advance(h.svc.IdleTimeout)

	ch := h.goGet("/again")
	waitFor(t, "the request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	release()
	if r := h.receive(ch); r.code != 200 || r.body != "hello from 3d8d9e3f" {
		t.Fatalf("request behind a failed stop: %d %q", r.code, r.body)
	}
}

// A stop that never returns holds a request no longer than the wake timeout,
// and a request after the stop ended starts the machine again.
func TestRequestBehindAStuckStopTimesOut(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	gate, release := newGate(t)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	fm.set(func(f *fakeMachines) { f.stopGate = gate })
	h.clock.Advance(h.svc.IdleTimeout)

	first := h.goGet("/first")
	waitFor(t, "the request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	h.clock.Advance(h.p.cfg.WakeTimeout + waitGrace)
	if r := h.receive(first); r.code != http.StatusGatewayTimeout {
		t.Fatalf("request behind a stop that never ends: %d %q, want 504", r.code, r.body)
	}
	release()
	waitFor(t, "the stop to end", h.settled)
	if resp, body := h.get("/second"); resp.StatusCode != 200 || body != "hello from 3d8d9e3f" {
		t.Fatalf("request after the stop: %d %q", resp.StatusCode, body)
	}
	if starts, _ := fm.counts(); starts != 2 {
		t.Errorf("Start called %d times, want 2", starts)
	}
}

func TestNoIdleStopWhileARequestIsInFlight(t *testing.T) {
	hd := newHolding()
	fm := newFakeMachines(t, httpApp(hd.handler), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	ch := h.goGet("/")
	hd.next(t)
	h.clock.Advance(5 * h.svc.IdleTimeout)
	if v := h.machine(fm.ms[0].id); v.stopping || v.state != StateStarted {
		t.Fatalf("machine with a request in flight after 5 idle timeouts: %+v", v)
	}
	close(hd.release)
	h.receive(ch)
	waitFor(t, "the lease to end", h.settled)
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, "the idle stop after the request", func() bool { _, stops := fm.counts(); return stops == 1 })
}

// A request that comes as the idle timer fires, while the timer's check still
// reads the machine list, keeps the machine: the check decides under the
// lock the lease is taken with. Both a request still in flight and one that
// already ended count.
func TestNoIdleStopForARequestAdmittedAsTheTimerFires(t *testing.T) {
	for _, ends := range []bool{false, true} {
		t.Run(map[bool]string{false: "in flight", true: "ended"}[ends], func(t *testing.T) {
			hd := newHolding()
			fm := newFakeMachines(t, httpApp(hd.handler), loopbacks(1)...)
			h := newHarness(t, webService(), fm)
			first := h.goGet("/")
			hd.next(t)
			hd.release <- struct{}{}
			h.receive(first)
			waitFor(t, "the lease to end", h.settled)

			gate, release := newGate(t)
			var lists int
			fm.set(func(f *fakeMachines) { f.listGate, lists = gate, f.lists })
			fired := make(chan struct{})
			go func() { defer close(fired); h.clock.Advance(h.svc.IdleTimeout) }()
			waitFor(t, "the idle check to list", func() bool {
				var n int
				fm.set(func(f *fakeMachines) { n = f.lists })
				return n > lists
			})
			ch := h.goGet("/as-the-timer-fires")
			hd.next(t)
			if ends {
				hd.release <- struct{}{}
				h.receive(ch)
			}
			release()
			<-fired // beginStop marks the machine before its Stop is called
			if v := h.machine(fm.ms[0].id); v.stopping || v.state != StateStarted {
				t.Fatalf("machine that took a request as its timer fired: %+v, want it kept running", v)
			}
			close(hd.release)
			if !ends {
				h.receive(ch)
			}
		})
	}
}

// wakeRank puts a machine being stopped, by the proxy or the daemon, after
// every other one that is not failed: another machine is started first.
func TestStoppingMachinesAreWokenLast(t *testing.T) {
	proxyStopping := machineState{phase: phaseStopping, stopped: d1}
	daemonStopping := machineState{phase: phaseDown, known: StateStopping}
	for _, other := range []machineState{
		{phase: phaseUnverified},
		{phase: phaseDown, known: StateSuspended},
		{phase: phaseDown, known: StateStopped},
		{phase: phaseDown, known: StateCold},
		{phase: phaseDown, known: StateStarting},
		{phase: phaseDown},
	} {
		for _, s := range []machineState{proxyStopping, daemonStopping} {
			if s.wakeRank() <= other.wakeRank() {
				t.Errorf("%s %q ranks %d, not after %s %q (%d)", s.phase, s.known, s.wakeRank(), other.phase, other.known, other.wakeRank())
			}
		}
	}
	failed := machineState{phase: phaseDown, known: StateFailed}
	if failed.wakeRank() <= daemonStopping.wakeRank() || failed.wakeRank() <= proxyStopping.wakeRank() {
		t.Errorf("a failed machine ranks %d, before a stopping one", failed.wakeRank())
	}
}

// A machine merely stopped (its sandbox up) is woken before a cold one, whose wake sets
// its network up first.
func TestStoppedMachinesAreWokenBeforeColdOnes(t *testing.T) {
	stopped := machineState{phase: phaseDown, known: StateStopped}
	cold := machineState{phase: phaseDown, known: StateCold}
	suspended := machineState{phase: phaseDown, known: StateSuspended}
	if !(suspended.wakeRank() < stopped.wakeRank() && stopped.wakeRank() < cold.wakeRank()) {
		t.Errorf("ranks: suspended %d, stopped %d, cold %d", suspended.wakeRank(), stopped.wakeRank(), cold.wakeRank())
	}
}

// wakeTarget is the machine the app's wake in flight is for, "" when none.
func (h *harness) wakeTarget() string {
	a := h.p.app(h.svc.App)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.wake == nil {
		return ""
	}
	return a.wake.m.id
}

// A machine a deploy starts while requests wait behind the only other machine's stop
// serves them at once, not once the stop ends.
func TestRequestBehindAStopGoesToAMachineStartedMeanwhile(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
	a, b := fm.ms[0].id, fm.ms[1].id
	fm.set(func(f *fakeMachines) { f.get(b).state = StateFailed }) // nothing to start
	h := newHarness(t, webService(), fm)
	gate, release := newGate(t)
	defer release()
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	fm.set(func(f *fakeMachines) { f.stopGate = gate })
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, a+" to be stopping", func() bool { return h.machine(a).stopping })

	waiting := h.goGet("/")
	waitFor(t, "the request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	fm.runNow(b) // as a deploy starts a machine
	h.p.Changed(h.svc.App)
	if r := h.receive(waiting); r.code != 200 || r.body != "hello from "+b {
		t.Fatalf("request behind the stop of %s: %d %q, want %s, started meanwhile, to serve it", a, r.code, r.body, b)
	}
}
