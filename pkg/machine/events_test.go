package machine_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/hangarhq/hangar/pkg/state"
)

// running runs the Manager's event loop until the test ends, and checks that it stops.
func (f *fixture) running() {
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() { done <- f.mgr.Run(ctx) }()
	f.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			f.t.Errorf("Run = %v", err)
		}
	})
	eventually(f.t, "the event subscription", func() bool { return len(f.calls("Events")) > 0 })
}

func (f *fixture) waitState(id, want string, exitCode int) {
	f.t.Helper()
	eventually(f.t, "machine "+want, func() bool {
		m, err := f.store.Machine("web", id)
		return err == nil && m.State == want && m.ExitCode == exitCode
	})
}

func TestRunAppliesEngineEvents(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.running()
	steps := []struct {
		name     string
		do       func() error
		state    string
		exitCode int
	}{
		{"crash", func() error { return f.eng.Exit(m.ContainerID, 3) }, state.MachineFailed, 3},
		{"docker start", func() error { return f.eng.StartContainer(bg, m.ContainerID) }, state.MachineStarted, 0},
		{"docker pause", func() error { return f.eng.PauseContainer(bg, m.ContainerID) }, state.MachineSuspended, 0},
		{"docker unpause", func() error { return f.eng.UnpauseContainer(bg, m.ContainerID) }, state.MachineStarted, 0},
		{"out of memory", func() error { return f.eng.OOM(m.ContainerID) }, state.MachineFailed, 137},
		{"hangar start", func() error { _, err := f.mgr.Start(bg, "web", m.ID); return err }, state.MachineStarted, 0},
		{"hangar stop", func() error { _, err := f.mgr.Stop(bg, "web", m.ID, "", 0); return err }, state.MachineStopped, 0},
		{"docker rm", func() error { return f.eng.RemoveContainer(bg, m.ContainerID, true) }, state.MachineDestroyed, 0},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		f.waitState(m.ID, s.state, s.exitCode)
		if got := f.machine(m.ID); s.name == "out of memory" && got.LastError != "out of memory: the process was killed" {
			t.Errorf("last error after OOM = %q", got.LastError)
		}
	}
}

func TestRunTreatsItsOwnStopAsStopped(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.running()
	f.eng.mu.Lock()
	f.eng.exitCode = 130
	f.eng.mu.Unlock()
	if _, err := f.mgr.Stop(bg, "web", m.ID, "", 0); err != nil {
		t.Fatal(err)
	}
	f.waitState(m.ID, state.MachineStopped, 130)
	f.eng.StartContainer(bg, m.ContainerID)
	f.waitState(m.ID, state.MachineStarted, 0)
}

func TestRunResubscribesWhenTheStreamEnds(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.running()
	f.eng.CloseEvents(errors.New("the Docker engine closed the event stream"))
	f.eng.Exit(m.ContainerID, 4) // during the gap: the replay or the reconcile must catch it
	f.waitState(m.ID, state.MachineFailed, 4)
	eventually(t, "a new subscription", func() bool { return len(f.calls("Events")) >= 2 })
	f.eng.StartContainer(bg, m.ContainerID)
	f.waitState(m.ID, state.MachineStarted, 0)
}

func TestRunReconcilesFirst(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.eng.Exit(m.ContainerID, 5)
	f.mgr = f.manager(t0)
	select {
	case <-f.mgr.Recovered():
		t.Fatal("recovered before Run began")
	default:
	}
	f.running()
	<-f.mgr.Recovered() // and then the record is already settled
	if got := f.machine(m.ID); got.State != state.MachineFailed || got.ExitCode != 5 {
		t.Errorf("once recovered: %s, exit code %d; want failed, 5", got.State, got.ExitCode)
	}
}

// TestRunEventStreamCutMidWake cuts the engine's event stream while a wake
// starts a machine, and the machine crashes before the agent subscribes again:
// the crash is recorded all the same, and later events still apply.
func TestRunEventStreamCutMidWake(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	if _, err := f.mgr.Stop(bg, "web", m.ID, "", 0); err != nil {
		t.Fatal(err)
	}
	woken := make(chan struct{})
	var cut, crashed atomic.Bool
	f.eng.Hook = func(op, _ string) error {
		switch {
		case op == "StartContainer" && !cut.Swap(true):
			f.eng.CloseEvents(errors.New("unexpected EOF"))
		case op == "Events" && cut.Load() && !crashed.Swap(true):
			<-woken // the wake ends while nothing listens, then the machine dies
			if err := f.eng.Exit(m.ContainerID, 4); err != nil {
				t.Error(err)
			}
		}
		return nil
	}
	f.running()
	if _, err := f.mgr.Start(bg, "web", m.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.machine(m.ID).State; got != state.MachineStarted {
		t.Fatalf("after the wake: %s, want started", got)
	}
	close(woken)
	f.waitState(m.ID, state.MachineFailed, 4)
	eventually(t, "a new subscription", func() bool { return len(f.calls("Events")) >= 2 })
	if err := f.eng.StartContainer(bg, m.ContainerID); err != nil {
		t.Fatal(err)
	}
	f.waitState(m.ID, state.MachineStarted, 0)
}
