package machine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// restarted reconciles as an agent started an hour later would.
func (f *fixture) restarted() {
	f.t.Helper()
	f.mgr = f.manager(t0.Add(time.Hour))
	if err := f.mgr.Reconcile(bg); err != nil {
		f.t.Fatalf("reconcile: %v", err)
	}
}

// labelled is a container as this installation's agent labels them.
func (f *fixture) labelled(app, id string) runtime.ContainerSpec {
	return runtime.ContainerSpec{Image: "hello:v1", Labels: map[string]string{"hangar.managed": "true", "hangar.app": app, "hangar.machine": id,
		"hangar.installation": f.store.InstallationID()}}
}

func (f *fixture) gone(id string) bool {
	_, err := f.eng.InspectContainer(bg, id)
	return errors.Is(err, runtime.ErrNotFound)
}

func TestReconcileRemovesOrphans(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	orphan, _ := f.eng.CreateContainer(bg, f.labelled("web", "0000000000dead"))
	second, _ := f.eng.CreateContainer(bg, f.labelled("web", m.ID)) // the machine's, but not the one it records
	foreign, _ := f.eng.CreateContainer(bg, f.labelled("elsewhere", "0000000000beef"))
	// Another HANGAR_HOME's agent on the same engine, with an app of the same name.
	neighbour := f.labelled("web", "00000000000bee")
	neighbour.Labels["hangar.installation"] = "feedf00d"
	theirs, _ := f.eng.CreateContainer(bg, neighbour)
	unmanaged, _ := f.eng.CreateContainer(bg, runtime.ContainerSpec{Image: "hello:v1", Labels: map[string]string{"hangar.app": "web"}})
	f.restarted()
	if !f.gone(orphan) || !f.gone(second) {
		t.Error("orphans survived")
	}
	if f.gone(foreign) || f.gone(unmanaged) || f.gone(theirs) || f.gone(m.ContainerID) {
		t.Error("removed a container that is not an orphan of this state")
	}
}

func TestReconcileForgetsInterruptedCreate(t *testing.T) {
	f := newFixture(t)
	m, err := f.store.CreateMachine(state.NewMachine{App: "web", Group: "app", Image: "hello:v1", Version: 1}, t0)
	if err != nil {
		t.Fatal(err)
	}
	f.restarted()
	if _, err := f.store.Machine("web", m.ID); !errors.Is(err, state.ErrMachineNotFound) {
		t.Errorf("interrupted machine still recorded: %v", err)
	}
}

func TestReconcileKeepsCreateOfThisAgent(t *testing.T) {
	f := newFixture(t)
	f.mgr = f.manager(t0)
	m, _ := f.store.CreateMachine(state.NewMachine{App: "web", Group: "app", Image: "hello:v1", Version: 1}, t0.Add(time.Minute))
	if err := f.mgr.Reconcile(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Machine("web", m.ID); err != nil {
		t.Errorf("a machine created after the agent started was forgotten: %v", err)
	}
}

func TestReconcileRollsBackInterruptedReplace(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	pending, _ := f.store.BeginReplace(m.ID, state.Replacement{Version: 2, Image: "hello:v2"}, t0)
	cid, _ := f.eng.CreateContainer(bg, f.labelled("web", m.ID))
	f.eng.StartContainer(bg, cid)
	f.store.UpdateMachine(m.ID, t0, func(r *state.Machine) error { r.Pending.ContainerID = cid; return nil })
	f.restarted()
	got := f.machine(m.ID)
	if got.Pending != nil || got.ContainerID != m.ContainerID || got.State != state.MachineStarted || !f.gone(cid) {
		t.Errorf("machine after reconcile = %+v (pending address %s)", got, pending.Pending.PrivateIP)
	}
}

func TestReconcileSyncsStates(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fixture, m state.Machine)
		want   state.Machine
	}{
		{"container removed outside", func(f *fixture, m state.Machine) { f.eng.RemoveContainer(bg, m.ContainerID, true) },
			state.Machine{State: state.MachineDestroyed}},
		{"crashed while the agent was down", func(f *fixture, m state.Machine) { f.eng.Exit(m.ContainerID, 2) },
			state.Machine{State: state.MachineFailed, ExitCode: 2, LastError: "exited with code 2"}},
		{"started outside", func(f *fixture, m state.Machine) {
			f.mgr.Stop(bg, "web", m.ID, "", 0)
			f.eng.StartContainer(bg, m.ContainerID)
		}, state.Machine{State: state.MachineStarted}},
		{"paused outside", func(f *fixture, m state.Machine) { f.eng.PauseContainer(bg, m.ContainerID) },
			state.Machine{State: state.MachineSuspended}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			m := f.started(spec("hello:v1", 1))
			tt.change(f, m)
			f.restarted()
			got := f.machine(m.ID)
			if got.State != tt.want.State || got.ExitCode != tt.want.ExitCode || got.LastError != tt.want.LastError {
				t.Errorf("machine = %s exit %d %q, want %s exit %d %q", got.State, got.ExitCode, got.LastError, tt.want.State, tt.want.ExitCode, tt.want.LastError)
			}
		})
	}
}

func TestReconcileFailsReleasesOfAnEarlierAgent(t *testing.T) {
	f := newFixture(t)
	old, _ := f.store.CreateRelease(state.Release{App: "web", Image: "hello:v1"}, t0)
	current, _ := f.store.CreateRelease(state.Release{App: "web", Image: "hello:v2"}, t0.Add(2*time.Hour))
	f.restarted()
	rs, _ := f.store.Releases("web")
	status := map[int]state.Release{}
	for _, r := range rs {
		status[r.Version] = r
	}
	if r := status[old.Version]; r.Status != state.ReleaseFailed || r.Reason == "" {
		t.Errorf("release of the earlier agent = %+v", r)
	}
	if r := status[current.Version]; r.Status != state.ReleasePending {
		t.Errorf("release of this agent = %+v", r)
	}
}
