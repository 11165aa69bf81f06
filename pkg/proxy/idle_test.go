package proxy

import (
	"fmt"
	"testing"
	"time"
)

func TestIdleMachineStopsAfterItsTimeout(t *testing.T) {
	tests := []struct {
		autoStop    string
		wantStops   int
		wantSuspend bool
		wantMetric  string
	}{
		{AutoStopStop, 1, false, StopIdle},
		{AutoStopSuspend, 1, true, StopSuspend},
		{AutoStopOff, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.autoStop, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
			svc := webService()
			svc.AutoStop = tt.autoStop
			h := newHarness(t, svc, fm)
			if resp, _ := h.get("/"); resp.StatusCode != 200 {
				t.Fatalf("got %d", resp.StatusCode)
			}
			waitFor(t, "the lease to end", h.settled)

			h.clock.Advance(svc.IdleTimeout - time.Millisecond)
			if v := h.machine("3d8d9e3f"); v.stopping || v.state != StateStarted {
				t.Fatalf("stopping before the idle timeout: %+v", v)
			}
			h.clock.Advance(time.Millisecond)
			if tt.wantStops == 0 {
				h.clock.Advance(10 * svc.IdleTimeout)
			}
			waitFor(t, "the stop to end", h.settled)
			_, stops := fm.counts()
			var suspended bool
			fm.set(func(f *fakeMachines) { suspended = f.ms[0].suspended })
			if stops != tt.wantStops || suspended != tt.wantSuspend {
				t.Fatalf("%d stops (suspend %v), want %d (suspend %v)", stops, suspended, tt.wantStops, tt.wantSuspend)
			}
			if tt.wantMetric != "" && h.p.Metrics().Stops[tt.wantMetric] != 1 {
				t.Errorf("metrics stops: %v", h.p.Metrics().Stops)
			}
		})
	}
}

func TestActivityPushesTheIdleStopBack(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	idle := h.svc.IdleTimeout
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	h.clock.Advance(idle / 2)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	h.clock.Advance(idle/2 + time.Millisecond) // a full timeout since the first request only
	if v := h.machine("3d8d9e3f"); v.stopping || v.state != StateStarted {
		t.Fatalf("stopped %v after the last request: %+v", idle/2, v)
	}
	h.clock.Advance(idle / 2)
	waitFor(t, "the idle stop", func() bool { _, stops := fm.counts(); return stops == 1 })
}

func TestMinMachinesRunningAreKept(t *testing.T) {
	for _, tt := range []struct{ min, wantStops int }{{0, 2}, {1, 1}, {2, 0}} {
		t.Run(fmt.Sprint("min_machines_running=", tt.min), func(t *testing.T) { testMinRunning(t, tt.min, tt.wantStops) })
	}
}

// testMinRunning runs two machines started by a deploy, serves one request,
// and lets five idle timeouts pass.
func testMinRunning(t *testing.T, minRunning, wantStops int) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
	fm.runNow("3d8d9e3f")
	fm.runNow("5683d2e4")
	svc := webService()
	svc.MinRunning = minRunning
	h := newHarness(t, svc, fm)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	for range 5 {
		h.clock.Advance(svc.IdleTimeout)
		waitFor(t, "stops to end", h.settled)
	}
	if _, stops := fm.counts(); stops != wantStops {
		t.Errorf("%d stops, want %d", stops, wantStops)
	}
}

func TestRequestDuringAStopWaitsAndWakesTheMachineAgain(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	gate, release := newGate(t)
	h.get("/")
	waitFor(t, "the lease to end", h.settled)
	fm.set(func(f *fakeMachines) { f.stopGate = gate })
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, "Stop to be called", func() bool { _, stops := fm.counts(); return stops == 1 })

	ch := h.goGet("/again")
	waitFor(t, "the request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	if starts, _ := fm.counts(); starts != 1 {
		t.Fatalf("Start called %d times while the stop runs", starts)
	}
	release() // the fake reports any Start that overlaps the stop
	if r := h.receive(ch); r.code != 200 || r.body != "hello from 3d8d9e3f" {
		t.Fatalf("request during the stop: %d %q", r.code, r.body)
	}
	if starts, _ := fm.counts(); starts != 2 {
		t.Errorf("Start called %d times, want 2", starts)
	}
}
