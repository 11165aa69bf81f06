package proxy

import (
	"testing"
	"time"
)

// TestTrackedMachineStopsWithoutARequest: a machine that was started behind the proxy's
// back (a deploy) and never gets a request is stopped after its idle time once the app
// is tracked; without Track nothing would ever arm its timer.
func TestTrackedMachineStopsWithoutARequest(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	fm.runNow("3d8d9e3f") // started by a deploy, not by the proxy
	h.p.Track(h.svc)
	h.clock.Advance(h.svc.IdleTimeout - time.Millisecond)
	if _, stops := fm.counts(); stops != 0 {
		t.Fatalf("stopped before the idle time")
	}
	h.clock.Advance(time.Millisecond)
	waitFor(t, "the idle stop", func() bool { _, stops := fm.counts(); return stops == 1 })
	h.p.Track(h.svc) // tracking again lists nothing new and stops nothing more
	h.clock.Advance(10 * h.svc.IdleTimeout)
	waitFor(t, "the stop to settle", h.settled)
	if _, stops := fm.counts(); stops != 1 {
		t.Fatalf("%d stops, want 1", stops)
	}
}
