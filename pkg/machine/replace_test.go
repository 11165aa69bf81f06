package machine_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

func TestReplaceSideBySide(t *testing.T) {
	f := newFixture(t)
	old := f.started(spec("hello:v1", 1))
	got, err := f.mgr.Replace(bg, "web", old.ID, spec("hello:v2", 2), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != state.MachineStarted || got.Version != 2 || got.Image != "hello:v2" || got.Pending != nil ||
		got.ContainerID == old.ContainerID || got.PrivateIP == old.PrivateIP {
		t.Fatalf("replaced machine = %+v", got)
	}
	c, sb := f.container(got.ContainerID), f.container(got.SandboxID)
	if c.Name != "hangar-web-"+old.ID+"-v2" || c.State != runtime.StateRunning || c.NetworkOf != got.SandboxID || c.Labels["hangar.release"] != "2" {
		t.Errorf("new container = %+v", c)
	}
	if sb.Name != "hangar-web-"+old.ID+"-v2-sandbox" || sb.IPv6Address != got.PrivateIP || got.SandboxID == old.SandboxID {
		t.Errorf("new sandbox = %+v", sb)
	}
	// The new sandbox and container come up beside the old ones; the old container
	// goes, then its sandbox.
	want := []string{
		"CreateContainer hangar-web-" + old.ID + "-v2-sandbox", "StartContainer " + got.SandboxID,
		"CreateContainer hangar-web-" + old.ID + "-v2", "StartContainer " + got.ContainerID,
		"StopContainer " + old.ContainerID, "RemoveContainer " + old.ContainerID, "RemoveContainer " + old.SandboxID,
	}
	if diff := cmp.Diff(want, f.calls("CreateContainer", "StartContainer", "StopContainer", "RemoveContainer")[4:]); diff != "" {
		t.Errorf("engine calls (-want +got):\n%s", diff)
	}
	if dials := f.net.Dials(); !strings.Contains(dials[len(dials)-1], got.PrivateIP.String()) {
		t.Errorf("readiness dialled %v, not the new address", dials)
	}
}

func TestReplaceFailureKeepsOldContainer(t *testing.T) {
	f := newFixture(t)
	old := f.started(spec("hello:v1", 1))
	f.net.Crash("hello:v2", 3, "panic: no config\n")
	_, err := f.mgr.Replace(bg, "web", old.ID, spec("hello:v2", 2), time.Second)
	want := "replacing machine " + old.ID + ": machine " + old.ID + " exited with code 3 before it listened on port 8080; its last log lines:\n  panic: no config"
	if !errors.Is(err, machine.ErrMachineExited) || err.Error() != want {
		t.Fatalf("replace = %v", err)
	}
	got := f.machine(old.ID)
	if got.Pending != nil || got.ContainerID != old.ContainerID || got.PrivateIP != old.PrivateIP || got.Version != 1 || got.State != state.MachineStarted {
		t.Errorf("machine after failed replace = %+v", got)
	}
	if c := f.container(old.ContainerID); c.State != runtime.StateRunning {
		t.Errorf("old container %s", c.State)
	}
	if list, _ := f.eng.ListContainers(bg, map[string]string{"hangar.machine": old.ID}); len(list) != 2 { // its container and sandbox
		t.Errorf("containers of the machine = %+v", list)
	}
}

func TestReplaceNotListeningTimesOut(t *testing.T) {
	f := newFixture(t)
	old := f.started(spec("hello:v1", 1))
	f.net.Deaf("hello:v2")
	_, err := f.mgr.Replace(bg, "web", old.ID, spec("hello:v2", 2), 20*time.Millisecond)
	if !errors.Is(err, machine.ErrNotListening) {
		t.Fatalf("replace = %v", err)
	}
	if got := f.machine(old.ID); got.Pending != nil || got.ContainerID != old.ContainerID {
		t.Errorf("machine after failed replace = %+v", got)
	}
}

func TestReplaceStoppedMachineIsVerifiedThenStopped(t *testing.T) {
	for _, before := range []string{state.MachineStopped, state.MachineSuspended} {
		t.Run(before, func(t *testing.T) {
			f := newFixture(t)
			old := f.started(spec("hello:v1", 1))
			if before == state.MachineStopped {
				f.mgr.Stop(bg, "web", old.ID, "", 0)
			} else {
				f.mgr.Suspend(bg, "web", old.ID)
			}
			got, err := f.mgr.Replace(bg, "web", old.ID, spec("hello:v2", 2), time.Second)
			if err != nil || got.State != state.MachineStopped || got.Version != 2 {
				t.Fatalf("replace = %+v, %v", got, err)
			}
			if c := f.container(got.ContainerID); c.State != runtime.StateExited {
				t.Errorf("new container %s", c.State)
			}
			if dials := f.net.Dials(); len(dials) == 0 || !strings.Contains(dials[len(dials)-1], got.PrivateIP.String()) {
				t.Errorf("the new container was not verified: dials %v", dials)
			}
			if _, err := f.eng.InspectContainer(bg, old.ContainerID); !errors.Is(err, runtime.ErrNotFound) {
				t.Errorf("old container: %v", err)
			}
		})
	}
}

// TestReplaceNeverStartedMachineRuns: a machine whose deploy was interrupted
// before it started is left running by the next deploy's replacement.
func TestReplaceNeverStartedMachineRuns(t *testing.T) {
	f := newFixture(t)
	old, err := f.mgr.Create(bg, spec("hello:v1", 1))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.mgr.Replace(bg, "web", old.ID, spec("hello:v2", 2), time.Second)
	if err != nil || got.State != state.MachineStarted || got.Version != 2 {
		t.Fatalf("replace = %+v, %v", got, err)
	}
	if c := f.container(got.ContainerID); c.State != runtime.StateRunning {
		t.Errorf("new container %s", c.State)
	}
}
