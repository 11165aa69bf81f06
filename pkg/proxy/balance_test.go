package proxy

import (
	"net/http"
	"testing"
	"time"
)

// holding machines announce each request on arrived and answer it only when
// the test sends on release.
type holding struct {
	arrived chan string
	release chan struct{}
}

func newHolding() *holding {
	return &holding{arrived: make(chan string, 100), release: make(chan struct{})}
}

func (hd *holding) handler(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd.arrived <- m.id
		select {
		case <-hd.release:
			_, _ = w.Write([]byte(m.id))
		case <-r.Context().Done(): // the proxy went away: a failed test's cleanup
		}
	})
}

// next returns the machine the next request arrived at.
func (hd *holding) next(t *testing.T) string {
	t.Helper()
	select {
	case id := <-hd.arrived:
		return id
	case <-time.After(10 * time.Second):
		t.Fatal("no request arrived at a machine")
		return ""
	}
}

func TestSoftAndHardLimitsAcrossThreeMachines(t *testing.T) {
	hd := newHolding()
	fm := newFakeMachines(t, httpApp(hd.handler), loopbacks(3)...)
	svc := webService()
	svc.Concurrency = Concurrency{Type: "requests", SoftLimit: 1, HardLimit: 2}
	h := newHarness(t, svc, fm)
	starts := func() int { s, _ := fm.counts(); return s }
	reachable := func(n int) func() bool {
		return func() bool { return h.settledWake() && h.reachable() == n }
	}

	var pending []<-chan result
	send := func() { pending = append(pending, h.goGet("/")) }
	send()
	first := hd.next(t) // woke one machine
	send()
	if got := hd.next(t); got != first {
		t.Fatalf("2nd request went to %s, want %s: under the hard limit it is served while another machine starts", got, first)
	}
	waitFor(t, "a second machine up", reachable(2))
	send()
	second := hd.next(t)
	if second == first {
		t.Fatalf("3rd request went to %s, which is at its hard limit", first)
	}
	send()
	if got := hd.next(t); got != second {
		t.Fatalf("4th request went to %s, want %s", got, second)
	}
	waitFor(t, "the third machine up", reachable(3))
	send()
	third := hd.next(t)
	send()
	if got := hd.next(t); third == first || third == second || got != third {
		t.Fatalf("5th and 6th requests went to %s and %s, want the third machine twice", third, got)
	}
	if starts() != 3 {
		t.Fatalf("Start called %d times, want 3", starts())
	}

	// Every machine is at its hard limit: the 7th request queues.
	send()
	waitFor(t, "the 7th request to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	select {
	case id := <-hd.arrived:
		t.Fatalf("7th request reached %s past the hard limit", id)
	default:
	}
	hd.release <- struct{}{}
	freed := h.anyDone(pending[:6])
	if got := hd.next(t); got != freed {
		t.Errorf("7th request went to %s, want %s, the machine that freed up", got, freed)
	}
	close(hd.release)
	for _, ch := range pending {
		if r := h.receive(ch); r.code != 200 {
			t.Errorf("got %d %q", r.code, r.body)
		}
	}
}

func TestEqualMachinesShareTheLoad(t *testing.T) {
	served := map[string]int{}
	fm := newFakeMachines(t, httpApp(hello), loopbacks(2)...)
	fm.runNow("3d8d9e3f")
	fm.runNow("5683d2e4")
	h := newHarness(t, webService(), fm)
	for range 100 {
		_, body := h.get("/")
		served[body]++
	}
	// Both idle at every request: a fixed choice would send all 100 to one.
	if len(served) != 2 {
		t.Errorf("served by %v, want both machines", served)
	}
}

// settledWake reports whether no wake is in flight.
func (h *harness) settledWake() bool {
	v, _ := h.p.apps.Load(h.svc.App)
	a := v.(*app)
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.wake == nil
}

// reachable counts the machines the proxy would send a request to.
func (h *harness) reachable() int {
	v, _ := h.p.apps.Load(h.svc.App)
	a := v.(*app)
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, m := range a.machines {
		if m.reachable(h.svc.InternalPort) {
			n++
		}
	}
	return n
}

// anyDone waits for one of the requests to finish and returns its body (the
// machine that served it), putting its result back for the final check.
func (h *harness) anyDone(chs []<-chan result) string {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for i, ch := range chs {
			select {
			case r := <-ch:
				back := make(chan result, 1)
				back <- r
				chs[i] = back
				return r.body
			default:
			}
		}
		select {
		case <-deadline:
			h.t.Fatal("no request finished")
		case <-time.After(time.Millisecond):
		}
	}
}
