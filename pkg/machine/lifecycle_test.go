package machine_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

func TestCreateMakesLabelledContainerOnOrgNetwork(t *testing.T) {
	f := newFixture(t)
	m, err := f.mgr.Create(bg, spec("hello:v1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if m.State != state.MachineCreated || m.ContainerID == "" {
		t.Fatalf("machine = %+v", m)
	}
	c := f.container(m.ContainerID)
	want := map[string]string{"hangar.managed": "true", "hangar.app": "web", "hangar.machine": m.ID, "hangar.group": "app", "hangar.release": "1",
		"hangar.installation": f.store.InstallationID()}
	if diff := cmp.Diff(want, c.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	org, _ := f.store.Org(state.DefaultOrg)
	n, err := f.eng.EnsureNetwork(bg, runtime.NetworkSpec{Name: machine.NetworkName("personal", f.store.InstallationID()), Subnet: ipalloc.MachineSubnet(org.Prefix),
		Labels: map[string]string{"hangar.managed": "true", "hangar.org": "personal", "hangar.installation": f.store.InstallationID()}})
	if err != nil || n.Gateway != ipalloc.MachineGateway(org.Prefix) {
		t.Errorf("org network = %+v, %v", n, err)
	}
	sb := f.container(m.SandboxID)
	if c.Name != "hangar-web-"+m.ID || c.State != runtime.StateCreated || c.NetworkOf != m.SandboxID || c.Network != "" {
		t.Errorf("container = %+v", c)
	}
	want["hangar.role"] = "sandbox"
	if diff := cmp.Diff(want, sb.Labels); diff != "" {
		t.Errorf("sandbox labels (-want +got):\n%s", diff)
	}
	if sb.Name != "hangar-web-"+m.ID+"-sandbox" || sb.State != runtime.StateRunning || sb.IPv6Address != m.PrivateIP || sb.Network != n.Name {
		t.Errorf("sandbox = %+v", sb)
	}
}

func TestCreateFailureLeavesNoRecord(t *testing.T) {
	f := newFixture(t)
	_, err := f.mgr.Create(bg, spec("missing:v1", 1))
	if !errors.Is(err, runtime.ErrImageNotFound) {
		t.Fatalf("create = %v", err)
	}
	if ms, _ := f.store.Machines("web"); len(ms) != 0 {
		t.Errorf("records left: %+v", ms)
	}
}

func TestLifecycleStates(t *testing.T) {
	f := newFixture(t)
	m, _ := f.mgr.Create(bg, spec("hello:v1", 1))
	steps := []struct {
		name      string
		do        func() (state.Machine, error)
		state     string
		container runtime.State
	}{
		{"start", func() (state.Machine, error) { return f.mgr.Start(bg, "web", m.ID) }, state.MachineStarted, runtime.StateRunning},
		{"suspend", func() (state.Machine, error) { return f.mgr.Suspend(bg, "web", m.ID) }, state.MachineSuspended, runtime.StatePaused},
		{"resume", func() (state.Machine, error) { return f.mgr.Start(bg, "web", m.ID) }, state.MachineStarted, runtime.StateRunning},
		{"start again", func() (state.Machine, error) { return f.mgr.Start(bg, "web", m.ID) }, state.MachineStarted, runtime.StateRunning},
		{"stop", func() (state.Machine, error) { return f.mgr.Stop(bg, "web", m.ID, "", 0) }, state.MachineStopped, runtime.StateExited},
		{"stop stopped", func() (state.Machine, error) { return f.mgr.Stop(bg, "web", m.ID, "", 0) }, state.MachineStopped, runtime.StateExited},
		{"restart", func() (state.Machine, error) { return f.mgr.Start(bg, "web", m.ID) }, state.MachineStarted, runtime.StateRunning},
		{"stop suspended", func() (state.Machine, error) {
			f.mgr.Suspend(bg, "web", m.ID)
			return f.mgr.Stop(bg, "web", m.ID, "", 0)
		}, state.MachineStopped, runtime.StateExited},
	}
	for _, s := range steps {
		got, err := s.do()
		if err != nil || got.State != s.state || f.machine(m.ID).State != s.state {
			t.Fatalf("%s: machine %s, %v; want %s", s.name, got.State, err, s.state)
		}
		if c := f.container(m.ContainerID); c.State != s.container {
			t.Fatalf("%s: container %s, want %s", s.name, c.State, s.container)
		}
	}
}

func TestStopSignalAndTimeout(t *testing.T) {
	tests := []struct {
		name    string
		cfg     state.MachineConfig
		signal  string
		timeout time.Duration
		want    string
	}{
		{"flyctl defaults", state.MachineConfig{}, "", 0, "SIGINT 5s"},
		{"kill_signal and kill_timeout", state.MachineConfig{StopSignal: "SIGTERM", StopTimeout: 30 * time.Second}, "", 0, "SIGTERM 30s"},
		{"flags win", state.MachineConfig{StopSignal: "SIGTERM"}, "SIGUSR1", time.Second, "SIGUSR1 1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			s := spec("hello:v1", 1)
			s.Config = tt.cfg
			m := f.started(s)
			if _, err := f.mgr.Stop(bg, "web", m.ID, tt.signal, tt.timeout); err != nil {
				t.Fatal(err)
			}
			if got := f.eng.lastStop(); got != tt.want {
				t.Errorf("stop = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStopWithNonZeroExitIsStoppedNotFailed(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.eng.exitCode = 130
	got, err := f.mgr.Stop(bg, "web", m.ID, "", 0)
	if err != nil || got.State != state.MachineStopped || got.ExitCode != 130 || got.LastError != "" {
		t.Errorf("stopped machine = %+v, %v", got, err)
	}
}

func TestDestroy(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	err := f.mgr.Destroy(bg, "web", m.ID, false)
	want := "machine " + m.ID + " currently started, either stop first or use --force flag"
	if !errors.Is(err, machine.ErrMachineStarted) || err.Error() != want {
		t.Fatalf("destroy without force = %v", err)
	}
	if err := f.mgr.Destroy(bg, "web", m.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Machine("web", m.ID); !errors.Is(err, state.ErrMachineNotFound) {
		t.Errorf("record after destroy: %v", err)
	}
	if _, err := f.eng.InspectContainer(bg, m.ContainerID); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("container after destroy: %v", err)
	}
}

func TestDestroyStoppedNeedsNoForce(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.mgr.Stop(bg, "web", m.ID, "", 0)
	if err := f.mgr.Destroy(bg, "web", m.ID, false); err != nil {
		t.Fatal(err)
	}
}

func TestDestroyApp(t *testing.T) {
	f := newFixture(t)
	a, b := f.started(spec("hello:v1", 1)), f.started(spec("hello:v1", 1))
	stray, _ := f.eng.CreateContainer(bg, runtime.ContainerSpec{Image: "hello:v1", Labels: map[string]string{"hangar.managed": "true", "hangar.app": "web", "hangar.installation": f.store.InstallationID()}})
	other, _ := f.eng.CreateContainer(bg, runtime.ContainerSpec{Image: "hello:v1", Labels: map[string]string{"hangar.app": "web"}})
	if err := f.mgr.DestroyApp(bg, "web"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a.ContainerID, b.ContainerID, stray} {
		if _, err := f.eng.InspectContainer(bg, id); !errors.Is(err, runtime.ErrNotFound) {
			t.Errorf("container %.12s survived: %v", id, err)
		}
	}
	if _, err := f.eng.InspectContainer(bg, other); err != nil {
		t.Errorf("removed a container without hangar.managed: %v", err)
	}
	if _, err := f.store.App("web"); !errors.Is(err, state.ErrAppNotFound) {
		t.Errorf("app after destroy: %v", err)
	}
}

func TestLogs(t *testing.T) {
	f := newFixture(t)
	m := f.started(spec("hello:v1", 1))
	f.eng.SetLogs(m.ContainerID, "one\ntwo\nthree\n")
	rc, err := f.mgr.Logs(bg, "web", m.ID, false, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); string(got) != "two\nthree\n" {
		t.Errorf("logs = %q", got)
	}
}
