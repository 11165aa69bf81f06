package proxy

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestThousandRequestsToStoppedAppStartItOnce(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	gate, release := newGate(t)
	fm.set(func(f *fakeMachines) { f.startGate, f.startDelay = gate, 20*time.Millisecond })

	const n = 1000
	results := make([]<-chan result, n)
	for i := range results {
		results[i] = h.goGet(fmt.Sprintf("/req/%d", i))
	}
	// Start is held until every request waits in the queue, so all of them
	// arrive while the app is asleep.
	waitFor(t, "all requests queued", func() bool { return h.p.Metrics().QueueDepth == n })
	release()

	for i, ch := range results {
		if r := h.receive(ch); r.code != 200 || r.body != "hello from 3d8d9e3f" {
			t.Fatalf("request %d: %d %q", i, r.code, r.body)
		}
	}
	if starts, _ := fm.counts(); starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
	m := h.p.Metrics()
	if m.Wakes != 1 || m.Requests[200] != n || m.QueueDepth != 0 {
		t.Errorf("metrics: %d wakes, %d × 200, queue %d; want 1, %d, 0", m.Wakes, m.Requests[200], m.QueueDepth, n)
	}
}

func TestWakeFailureAnswersEveryWaiterWithTheReason(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fakeMachines)
		want  string
	}{
		{"start fails", func(f *fakeMachines) { f.startErr = errors.New("image hangar/demo:latest not found locally") },
			"app flycast-demo could not start: machine 3d8d9e3f: image hangar/demo:latest not found locally\n"},
		{"machine exits while dialed", func(f *fakeMachines) { f.failure, f.neverListen = "exited with code 1: panic: boom", true },
			"app flycast-demo could not start: machine 3d8d9e3f exited with code 1: panic: boom\n"},
		{"machine turns failed", func(f *fakeMachines) { f.failState, f.neverListen = true, true },
			"app flycast-demo could not start: machine 3d8d9e3f failed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
			h := newHarness(t, webService(), fm)
			gate, release := newGate(t)
			fm.set(func(f *fakeMachines) { f.startGate = gate; tt.setup(f) })
			const n = 20
			var results []<-chan result
			for range n {
				results = append(results, h.goGet("/"))
			}
			waitFor(t, "requests queued", func() bool { return h.p.Metrics().QueueDepth == n })
			release()
			for _, ch := range results {
				r := h.receive(ch)
				if r.code != 503 || r.body != tt.want || r.retry != "1" {
					t.Fatalf("got %d %q Retry-After %q, want 503 %q Retry-After 1", r.code, r.body, r.retry, tt.want)
				}
			}
			if starts, _ := fm.counts(); starts != 1 {
				t.Errorf("Start called %d times, want 1", starts)
			}
		})
	}
}

func TestWakeTimeoutIs504WithHowFarItGot(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	fm.set(func(f *fakeMachines) { f.neverListen = true })
	h := newHarness(t, webService(), fm, func(c *Config) { c.WakeTimeout = 5 * time.Second })
	ch := h.goGet("/")
	// The dial loop asks the daemon before each attempt: a second question
	// means one dial was refused.
	waitFor(t, "a refused dial", func() bool {
		var asked int
		fm.set(func(f *fakeMachines) { asked = f.asked })
		return asked >= 2
	})
	h.clock.Advance(5 * time.Second)
	r := h.receive(ch)
	want := fmt.Sprintf("app flycast-demo: timed out: machine 3d8d9e3f did not accept connections on port %d within 5s (last attempt: ", h.svc.InternalPort)
	if r.code != 504 || !strings.HasPrefix(r.body, want) || !strings.Contains(r.body, "connection refused") || r.retry != "1" {
		t.Fatalf("got %d %q Retry-After %q, want 504 %q… connection refused", r.code, r.body, r.retry, want)
	}
}

func TestQueueFullIs503(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm, func(c *Config) { c.QueueLimit = 2 })
	gate, release := newGate(t)
	fm.set(func(f *fakeMachines) { f.startGate = gate })
	first, second := h.goGet("/"), h.goGet("/")
	waitFor(t, "two requests queued", func() bool { return h.p.Metrics().QueueDepth == 2 })

	resp, body := h.get("/")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || body != "app flycast-demo: too many requests waiting (2)\n" {
		t.Fatalf("third request: %d %q Retry-After %q", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	release()
	for _, ch := range []<-chan result{first, second} {
		if r := h.receive(ch); r.code != 200 {
			t.Errorf("queued request: %d %q", r.code, r.body)
		}
	}
}

func TestNothingToStart(t *testing.T) {
	tests := []struct {
		name     string
		svc      func(*Service)
		machines int
		listErr  error
		want     string
	}{
		{"auto start off", func(s *Service) { s.AutoStart = false }, 1, nil,
			"app flycast-demo has no started machines and auto_start_machines = false\n"},
		{"no machines", func(*Service) {}, 0, nil, "app flycast-demo has no machines\n"},
		{"state unreadable", func(*Service) {}, 1, errors.New("reading state: input/output error"),
			"app flycast-demo: reading its machines: reading state: input/output error\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
			fm.ms = fm.ms[:tt.machines]
			fm.listErr = tt.listErr
			svc := webService()
			tt.svc(&svc)
			h := newHarness(t, svc, fm)
			resp, body := h.get("/")
			if resp.StatusCode != 503 || body != tt.want || resp.Header.Get("Retry-After") != "1" {
				t.Fatalf("got %d %q, want 503 %q", resp.StatusCode, body, tt.want)
			}
			if starts, _ := fm.counts(); starts != 0 {
				t.Errorf("Start called %d times", starts)
			}
		})
	}
}

func TestAutoStartOffStillServesAMachineStartedElsewhere(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	svc := webService()
	svc.AutoStart = false
	h := newHarness(t, svc, fm)
	if resp, _ := h.get("/"); resp.StatusCode != 503 {
		t.Fatalf("asleep: got %d, want 503", resp.StatusCode)
	}
	fm.runNow("3d8d9e3f")
	if resp, body := h.get("/"); resp.StatusCode != 200 || body != "hello from 3d8d9e3f" {
		t.Fatalf("after a deploy started it: %d %q", resp.StatusCode, body)
	}
	if starts, _ := fm.counts(); starts != 0 {
		t.Errorf("Start called %d times", starts)
	}
}

func TestPrewakeStartsOnceWithoutARequest(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	h.cat.addHost("flycast-demo.flycast:80", h.svc)

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { h.p.Prewake("flycast-demo", "dns") })
	}
	wg.Wait()
	h.p.Prewake("no-such-app", "dns")
	waitFor(t, "the prewake to finish", h.settled)
	if resp, body := h.get("/"); resp.StatusCode != 200 || body != "hello from 3d8d9e3f" {
		t.Fatalf("request after prewake: %d %q", resp.StatusCode, body)
	}
	h.p.Prewake("flycast-demo", "dns") // already awake
	if starts, _ := fm.counts(); starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
	recs := h.logs.records("waking app")
	if len(recs) != 1 || recs[0]["cause"] != "dns" || recs[0]["reason"] != "prewake" {
		t.Errorf("wake log records: %v", recs)
	}
}

func TestWakeLogsCauseAndPhases(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	if resp, _ := h.get("/dashboard?x=1"); resp.StatusCode != 200 {
		t.Fatalf("got %d", resp.StatusCode)
	}
	waking := h.logs.records("waking app")
	if len(waking) != 1 || waking[0]["cause"] != "127.0.0.1" || waking[0]["path"] != "/dashboard" ||
		waking[0]["host"] != h.addr.String() || waking[0]["machine"] != "3d8d9e3f" {
		t.Errorf("waking app: %v", waking)
	}
	awake := h.logs.records("app awake")
	if len(awake) != 1 || awake[0][PhaseQueued] == nil || awake[0][PhaseStart] == nil || awake[0][PhasePortOpen] == nil {
		t.Errorf("app awake: %v", awake)
	}
	waitFor(t, "first byte logged", func() bool { return len(h.logs.records("first byte from woken machine")) == 1 })
	m := h.p.Metrics()
	for _, phase := range []string{PhaseQueued, PhaseStart, PhasePortOpen, PhaseFirstByte} {
		if m.Phases[phase].Count != 1 {
			t.Errorf("phase %s observed %d times, want 1", phase, m.Phases[phase].Count)
		}
	}
}
