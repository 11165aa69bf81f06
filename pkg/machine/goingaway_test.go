package machine_test

import (
	"context"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
)

// TestBeforeStopRunsWithoutHoldingTheMachine: the proxy's warning to a machine's
// WebSocket clients may wait on a client that does not read, so it runs before the
// machine is held (after, for a replacement): another operation on the machine, such as
// the proxy's wake, goes through meanwhile instead of waiting for the slowest client.
func TestBeforeStopRunsWithoutHoldingTheMachine(t *testing.T) {
	tests := []struct {
		name string
		run  func(mgr *machine.Manager, id string) error
	}{
		{"stop", func(mgr *machine.Manager, id string) error { _, err := mgr.Stop(bg, "web", id, "", 0); return err }},
		{"destroy --force", func(mgr *machine.Manager, id string) error { return mgr.Destroy(bg, "web", id, true) }},
		{"destroy the app", func(mgr *machine.Manager, id string) error { return mgr.DestroyApp(bg, "web") }},
		{"replace", func(mgr *machine.Manager, id string) error {
			_, err := mgr.Replace(bg, "web", id, spec("hello:v2", 2), 5*time.Second)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			warned, letGo := make(chan string, 1), make(chan struct{})
			f.mgr = f.manager(t0, machine.WithBeforeStop(func(app, id string) {
				warned <- id
				<-letGo
			}))
			mc := f.started(spec("hello:v1", 1))
			done := make(chan error, 1)
			go func() { done <- tt.run(f.mgr, mc.ID) }()
			select {
			case id := <-warned:
				if id != mc.ID {
					t.Errorf("warned about machine %s, want %s", id, mc.ID)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the machine's clients were never warned")
			}
			ctx, cancel := context.WithTimeout(bg, 5*time.Second)
			defer cancel()
			if _, err := f.mgr.Start(ctx, "web", mc.ID); err != nil {
				t.Errorf("starting the machine while its clients are warned: %v", err)
			}
			close(letGo)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestStopIdleWarnsNobody: the proxy's own idle stop does not call back into the proxy
// (it has nothing open to the machine); a stop from anywhere else warns it first.
func TestStopIdleWarnsNobody(t *testing.T) {
	f := newFixture(t)
	var warned []string
	f.mgr = f.manager(t0, machine.WithBeforeStop(func(_, id string) { warned = append(warned, id) }))
	idle := f.started(spec("hello:v1", 1))
	if _, err := f.mgr.StopIdle(bg, "web", idle.ID, "", 0); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 0 {
		t.Fatalf("StopIdle warned %v", warned)
	}
	if _, err := f.mgr.Start(bg, "web", idle.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.mgr.Stop(bg, "web", idle.ID, "", 0); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || warned[0] != idle.ID {
		t.Fatalf("Stop warned %v, want %s once", warned, idle.ID)
	}
}
