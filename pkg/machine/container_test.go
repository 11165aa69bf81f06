package machine

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

var equateAddrs = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestContainerSpec(t *testing.T) {
	ip := netip.MustParseAddr("fdaa:1:2:a7b::5")
	base := state.Machine{ID: "0123456789abcd", App: "web", Group: "worker", Region: "iad", Version: 3,
		Image: "hello:v3", PrivateIP: ip}
	fly := func(extra map[string]string) map[string]string {
		env := map[string]string{"FLY_APP_NAME": "web", "FLY_MACHINE_ID": "0123456789abcd", "FLY_REGION": "iad",
			"FLY_PRIVATE_IP": "fdaa:1:2:a7b::5", "FLY_PROCESS_GROUP": "worker", "FLY_IMAGE_REF": "hello:v3",
			"FLY_MACHINE_VERSION": "3", "PRIMARY_REGION": "iad"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	labels := map[string]string{"hangar.managed": "true", "hangar.app": "web", "hangar.machine": "0123456789abcd",
		"hangar.group": "worker", "hangar.release": "3"}
	tests := []struct {
		name string
		cfg  state.MachineConfig
		want runtime.ContainerSpec
	}{
		{"defaults", state.MachineConfig{},
			runtime.ContainerSpec{Env: fly(nil), StopSignal: "SIGINT", StopTimeout: 5 * time.Second}},
		{"from config", state.MachineConfig{Env: map[string]string{"A": "1", "FLY_REGION": "mine"}, Cmd: []string{"serve"},
			Entrypoint: []string{"/bin/app"}, InternalPort: 8080, StopSignal: "SIGTERM", StopTimeout: 30 * time.Second,
			MemoryMB: 512, CPUs: 2, Tty: true},
			runtime.ContainerSpec{Env: fly(map[string]string{"A": "1"}), Cmd: []string{"serve"}, Entrypoint: []string{"/bin/app"},
				StopSignal: "SIGTERM", StopTimeout: 30 * time.Second, MemoryMB: 512, CPUs: 2, Tty: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := base
			mc.Config = tt.cfg
			want := tt.want
			want.Name, want.Image, want.Labels = "hangar-web-0123456789abcd-v3", "hello:v3", labels
			want.NetworkOf = "sandbox-id" // its address, hostname and port are its sandbox's
			want.Init = true              // every machine runs under an init, as on Fly
			got := containerSpec(mc, ContainerName("web", mc.ID, 3), "sandbox-id")
			if diff := cmp.Diff(want, got, equateAddrs); diff != "" {
				t.Errorf("spec (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSandboxSpec(t *testing.T) {
	ip := netip.MustParseAddr("fdaa:1:2:a7b::5")
	mc := state.Machine{ID: "0123456789abcd", App: "web", Group: "worker", Version: 3, PrivateIP: ip,
		Config: state.MachineConfig{InternalPort: 8080}}
	got := sandboxSpec(mc, "hangar-web-0123456789abcd-v3-sandbox", "hangar-personal-0a1b2c3d", "hangar-sandbox:1", "0a1b2c3d")
	want := runtime.ContainerSpec{Name: "hangar-web-0123456789abcd-v3-sandbox", Image: "hangar-sandbox:1",
		Hostname: mc.ID, Network: "hangar-personal-0a1b2c3d", IPv6Address: ip, PublishPort: 8080,
		Labels: map[string]string{"hangar.managed": "true", "hangar.app": "web", "hangar.machine": mc.ID, "hangar.group": "worker",
			"hangar.release": "3", "hangar.role": "sandbox", "hangar.installation": "0a1b2c3d"},
		Init: true, StopSignal: "SIGTERM", StopTimeout: time.Second}
	if diff := cmp.Diff(want, got, equateAddrs); diff != "" {
		t.Errorf("sandbox spec (-want +got):\n%s", diff)
	}
}

func TestObserve(t *testing.T) {
	tests := []struct {
		name, before string
		c            runtime.Container
		want         state.Machine
	}{
		{"running", state.MachineStarting, runtime.Container{State: runtime.StateRunning}, state.Machine{State: state.MachineStarted}},
		{"created while starting", state.MachineStarting, runtime.Container{State: runtime.StateCreated}, state.Machine{State: state.MachineStarting}},
		{"paused", state.MachineStarted, runtime.Container{State: runtime.StatePaused}, state.Machine{State: state.MachineSuspended}},
		{"crash", state.MachineStarted, runtime.Container{State: runtime.StateExited, ExitCode: 3},
			state.Machine{State: state.MachineFailed, ExitCode: 3, LastError: "exited with code 3"}},
		{"clean exit", state.MachineStarted, runtime.Container{State: runtime.StateExited}, state.Machine{State: state.MachineStopped}},
		{"stopped by us", state.MachineStopping, runtime.Container{State: runtime.StateExited, ExitCode: 130},
			state.Machine{State: state.MachineStopped, ExitCode: 130}},
		{"oom", state.MachineStarted, runtime.Container{State: runtime.StateExited, ExitCode: 137, OOMKilled: true},
			state.Machine{State: state.MachineFailed, ExitCode: 137, LastError: "out of memory: the process was killed"}},
		{"gone", state.MachineStarted, runtime.Container{State: runtime.StateRemoving}, state.Machine{State: state.MachineDestroyed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := state.Machine{State: tt.before}
			observe(&got, tt.c)
			if diff := cmp.Diff(tt.want, got, equateAddrs); diff != "" {
				t.Errorf("machine (-want +got):\n%s", diff)
			}
		})
	}
}
