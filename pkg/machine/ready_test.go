package machine_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
)

func TestWaitReady(t *testing.T) {
	var logs strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&logs, "line %d\n", i)
	}
	tests := []struct {
		name    string
		setup   func(f *fixture) machine.Spec
		timeout time.Duration
		want    error
		message string // the error's exact text, with <id> for the machine ID
	}{
		{"listening", func(f *fixture) machine.Spec { return spec("hello:v1", 1) }, time.Second, nil, ""},
		{"no internal port", func(f *fixture) machine.Spec {
			f.net.Deaf("hello:v1")
			s := spec("hello:v1", 1)
			s.Config.InternalPort = 0
			return s
		}, time.Second, nil, ""},
		{"exits before listening", func(f *fixture) machine.Spec {
			f.net.Crash("hello:v1", 3, logs.String())
			return spec("hello:v1", 1)
		}, time.Second, machine.ErrMachineExited, "machine <id> exited with code 3 before it listened on port 8080; its last log lines:\n" +
			"  line 3\n  line 4\n  line 5\n  line 6\n  line 7\n  line 8\n  line 9\n  line 10\n  line 11\n  line 12"},
		{"exits silently", func(f *fixture) machine.Spec {
			f.net.Crash("hello:v1", 1, "")
			return spec("hello:v1", 1)
		}, time.Second, machine.ErrMachineExited, "machine <id> exited with code 1 before it listened on port 8080 and logged nothing"},
		{"never listens", func(f *fixture) machine.Spec {
			f.net.Deaf("hello:v1")
			return spec("hello:v1", 1)
		}, 30 * time.Millisecond, machine.ErrNotListening, "machine <id> is running but nothing listens on port 8080 after 30ms: check internal_port in fly.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			m := f.started(tt.setup(f))
			err := f.mgr.WaitReady(bg, "web", m.ID, tt.timeout)
			if !errors.Is(err, tt.want) || err != nil && err.Error() != strings.ReplaceAll(tt.message, "<id>", m.ID) {
				t.Errorf("WaitReady = %v\nwant %s", err, tt.message)
			}
		})
	}
}

func TestWaitReadyDialsThe6PNAddress(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	if err := f.mgr.WaitReady(bg, "web", m.ID, time.Second); err != nil {
		t.Fatal(err)
	}
	if dials := f.net.Dials(); len(dials) == 0 || dials[0] != "["+m.PrivateIP.String()+"]:8080" {
		t.Errorf("dials = %v", dials)
	}
}

func TestWaitReadyRunsHTTPChecksUntilTheyPass(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	f.net.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead || r.URL.Path != "/healthz" || r.Host != "web.internal" || r.Header.Get("X-Probe") != "1" {
			t.Errorf("check request %s %s host %s", r.Method, r.URL, r.Host)
		}
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	s := spec("hello:v1", 1)
	s.Checks = []machine.HTTPCheck{{Path: "healthz", Method: "head", Headers: map[string]string{"Host": "web.internal", "X-Probe": "1"}}}
	m := f.started(s)
	if err := f.mgr.WaitReady(bg, "web", m.ID, 5*time.Second); err != nil || calls.Load() != 3 {
		t.Errorf("WaitReady = %v after %d checks", err, calls.Load())
	}
}

func TestWaitReadyFailingChecks(t *testing.T) {
	f := newFixture(t)
	f.net.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	s := spec("hello:v1", 1)
	s.Checks = []machine.HTTPCheck{{Path: "/healthz"}}
	m := f.started(s)
	err := f.mgr.WaitReady(bg, "web", m.ID, 30*time.Millisecond)
	want := "machine " + m.ID + " listens on port 8080 but its health checks still fail after 30ms: check GET /healthz answered 500 Internal Server Error"
	if !errors.Is(err, machine.ErrChecksFailing) || err.Error() != want {
		t.Errorf("WaitReady = %v", err)
	}
}

func TestWaitReadyNeverStarted(t *testing.T) {
	f := newFixture(t)
	m, _ := f.mgr.Create(bg, spec("hello:v1", 1))
	err := f.mgr.WaitReady(bg, "web", m.ID, 20*time.Millisecond)
	if !errors.Is(err, machine.ErrNotRunning) || err.Error() != "machine "+m.ID+" is still created after 20ms" {
		t.Errorf("WaitReady = %v", err)
	}
}

func TestWaitReadyCancelled(t *testing.T) {
	f := newFixture(t)
	f.net.Deaf("hello:v1")
	m := f.started(spec("hello:v1", 1))
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := f.mgr.WaitReady(ctx, "web", m.ID, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitReady = %v", err)
	}
}

func TestExitErrorCarriesCodeAndLines(t *testing.T) {
	f := newFixture(t)
	f.net.Crash("hello:v1", 137, "killed\n")
	m := f.started(spec("hello:v1", 1))
	var exit *machine.ExitError
	if err := f.mgr.WaitReady(bg, "web", m.ID, time.Second); !errors.As(err, &exit) || exit.Code != 137 || exit.LastLines[0] != "killed" {
		t.Errorf("WaitReady = %#v", err)
	}
}
