package machine_test

import (
	"context"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// dialable reports whether the machine answers on its 6PN address.
func (f *fixture) dialable(m state.Machine) bool {
	ctx, cancel := context.WithTimeout(bg, time.Second)
	defer cancel()
	c, err := f.net.Dial(ctx, "tcp", "["+m.PrivateIP.String()+"]:8080")
	if err == nil {
		c.Close()
	}
	return err == nil
}

func TestStopKeepsTheSandboxAndAWakeStartsOnlyTheApp(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	m, err := f.mgr.Stop(bg, "web", m.ID, "", 0)
	if err != nil || m.Tier() != state.TierStop {
		t.Fatalf("stop = %+v (tier %q), %v", m, m.Tier(), err)
	}
	if sb := f.container(m.SandboxID); sb.State != runtime.StateRunning {
		t.Fatalf("the sandbox of a stopped machine is %s, want running: its address stays up", sb.State)
	}
	before := len(f.eng.Calls())
	if m, err = f.mgr.Start(bg, "web", m.ID); err != nil || m.State != state.MachineStarted {
		t.Fatalf("wake = %+v, %v", m, err)
	}
	for _, c := range f.eng.Calls()[before:] {
		if c == "StartContainer "+m.SandboxID || c == "CreateContainer "+m.ID {
			t.Errorf("a wake from the stop tier touched the sandbox: %v", f.eng.Calls()[before:])
		}
	}
	if !f.dialable(m) {
		t.Error("the woken machine does not answer")
	}
}

func TestCoolStopsTheSandboxAndAWakeStartsItFirst(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	if got, err := f.mgr.Cool(bg, "web", m.ID); err != nil || got.Cold {
		t.Fatalf("cooling a running machine = %+v, %v; want it left alone", got, err)
	}
	f.mgr.Stop(bg, "web", m.ID, "", 0)
	m, err := f.mgr.Cool(bg, "web", m.ID)
	if err != nil || m.Tier() != state.TierCold {
		t.Fatalf("cool = %+v (tier %q), %v", m, m.Tier(), err)
	}
	if sb := f.container(m.SandboxID); sb.State != runtime.StateExited {
		t.Fatalf("the sandbox of a cold machine is %s", sb.State)
	}
	if m, err = f.mgr.Start(bg, "web", m.ID); err != nil || m.State != state.MachineStarted || m.Cold {
		t.Fatalf("wake from cold = %+v, %v", m, err)
	}
	if !f.dialable(m) {
		t.Error("the machine woken from cold does not answer")
	}
}

func TestASandboxRemovedBehindHangarsBackIsMadeAgain(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.mgr.Stop(bg, "web", m.ID, "", 0)
	if err := f.eng.RemoveContainer(bg, m.SandboxID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Reconcile(bg); err != nil {
		t.Fatal(err)
	}
	if got := f.machine(m.ID); got.Tier() != state.TierCold {
		t.Errorf("after adoption a machine whose sandbox is gone sleeps %q, want cold", got.Tier())
	}
	got, err := f.mgr.Start(bg, "web", m.ID)
	if err != nil || got.State != state.MachineStarted {
		t.Fatalf("wake = %+v, %v", got, err)
	}
	if got.SandboxID == m.SandboxID || got.ContainerID == m.ContainerID {
		t.Errorf("wake kept containers bound to the removed sandbox: %+v", got)
	}
	if !f.dialable(got) {
		t.Error("the machine does not answer in its new sandbox")
	}
	if list, _ := f.eng.ListContainers(bg, map[string]string{"hangar.machine": m.ID}); len(list) != 2 {
		t.Errorf("containers of the machine = %d, want its container and its sandbox", len(list))
	}
}

func TestASandboxKilledUnderARunningMachineIsRepaired(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.running()
	if err := f.eng.Exit(m.SandboxID, 137); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the machine to run again in a running sandbox", func() bool {
		got := f.machine(m.ID)
		sb, err := f.eng.InspectContainer(bg, got.SandboxID)
		return got.State == state.MachineStarted && err == nil && sb.State == runtime.StateRunning && f.dialable(got)
	})
}

func TestDestroyRemovesTheSandboxToo(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	if err := f.mgr.Destroy(bg, "web", m.ID, true); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.eng.ListContainers(bg, map[string]string{"hangar.app": "web"}); len(list) != 0 {
		t.Errorf("containers left after destroy: %+v", list)
	}
}

func TestReconcileRemovesAnOrphanedSandbox(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	// As a crash between creating a sandbox and recording it leaves one.
	orphan, err := f.eng.CreateContainer(bg, runtime.ContainerSpec{Name: "orphan-sandbox", Image: "hello:v1",
		Labels: map[string]string{"hangar.managed": "true", "hangar.app": "web", "hangar.machine": m.ID, "hangar.role": "sandbox",
			"hangar.installation": f.store.InstallationID()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Reconcile(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.InspectContainer(bg, orphan); err == nil {
		t.Error("an orphaned sandbox survived adoption")
	}
	if sb := f.container(m.SandboxID); sb.State != runtime.StateRunning {
		t.Errorf("the machine's own sandbox is %s after adoption", sb.State)
	}
}

// The agent builds the sandbox image once; when it is removed behind its back, the next
// machine's create builds it again rather than failing.
func TestASandboxImageRemovedIsBuiltAgain(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	ref := f.container(m.SandboxID).Image
	f.mgr.Destroy(bg, "web", m.ID, true)
	if err := f.eng.RemoveImage(bg, ref); err != nil {
		t.Fatal(err)
	}
	m = f.started(spec("hello:v1", 1))
	if sb := f.container(m.SandboxID); sb.Image != ref || sb.State != runtime.StateRunning {
		t.Errorf("sandbox after its image was removed: %+v", sb)
	}
}
