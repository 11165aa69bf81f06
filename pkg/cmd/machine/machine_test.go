package machine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// fakeClient answers from function fields; an unset one fails the call.
type fakeClient struct {
	listMachines   func(app string) ([]api.Machine, error)
	getMachine     func(app, id string) (api.Machine, error)
	runMachine     func(app string, req api.RunMachineRequest) (api.Machine, error)
	startMachine   func(app, id string) (api.Machine, error)
	stopMachine    func(app, id string, req api.StopMachineRequest) (api.Machine, error)
	suspendMachine func(app, id string) (api.Machine, error)
	destroyMachine func(app, id string, force bool) error
	attach         func(app, id string) (net.Conn, error)
	resize         func(app, id string, rows, cols int) error
	getApp         func(app string) (api.App, error)
	createApp      func(req api.CreateAppRequest) (api.CreateAppResponse, error)
}

var _ Client = (*fakeClient)(nil)

func unexpected(name string) error { return fmt.Errorf("unexpected call to %s", name) }

func (f *fakeClient) ListMachines(_ context.Context, app string) ([]api.Machine, error) {
	if f.listMachines == nil {
		return nil, unexpected("ListMachines")
	}
	return f.listMachines(app)
}
func (f *fakeClient) GetMachine(_ context.Context, app, id string) (api.Machine, error) {
	if f.getMachine == nil {
		return api.Machine{}, unexpected("GetMachine")
	}
	return f.getMachine(app, id)
}
func (f *fakeClient) RunMachine(_ context.Context, app string, req api.RunMachineRequest) (api.Machine, error) {
	if f.runMachine == nil {
		return api.Machine{}, unexpected("RunMachine")
	}
	return f.runMachine(app, req)
}
func (f *fakeClient) StartMachine(_ context.Context, app, id string) (api.Machine, error) {
	if f.startMachine == nil {
		return api.Machine{}, unexpected("StartMachine")
	}
	return f.startMachine(app, id)
}
func (f *fakeClient) StopMachine(_ context.Context, app, id string, req api.StopMachineRequest) (api.Machine, error) {
	if f.stopMachine == nil {
		return api.Machine{}, unexpected("StopMachine")
	}
	return f.stopMachine(app, id, req)
}
func (f *fakeClient) SuspendMachine(_ context.Context, app, id string) (api.Machine, error) {
	if f.suspendMachine == nil {
		return api.Machine{}, unexpected("SuspendMachine")
	}
	return f.suspendMachine(app, id)
}
func (f *fakeClient) DestroyMachine(_ context.Context, app, id string, force bool) error {
	if f.destroyMachine == nil {
		return unexpected("DestroyMachine")
	}
	return f.destroyMachine(app, id, force)
}
func (f *fakeClient) Attach(_ context.Context, app, id string) (net.Conn, error) {
	if f.attach == nil {
		return nil, unexpected("Attach")
	}
	return f.attach(app, id)
}
func (f *fakeClient) ResizeMachineTTY(_ context.Context, app, id string, rows, cols int) error {
	if f.resize == nil {
		return unexpected("ResizeMachineTTY")
	}
	return f.resize(app, id, rows, cols)
}
func (f *fakeClient) GetApp(_ context.Context, app string) (api.App, error) {
	if f.getApp == nil {
		return api.App{}, unexpected("GetApp")
	}
	return f.getApp(app)
}
func (f *fakeClient) CreateApp(_ context.Context, req api.CreateAppRequest) (api.CreateAppResponse, error) {
	if f.createApp == nil {
		return api.CreateAppResponse{}, unexpected("CreateApp")
	}
	return f.createApp(req)
}

// clientOf hands a fake to options.
func clientOf(fc *fakeClient) func() (Client, error) {
	return func() (Client, error) { return fc, nil }
}

var webMachine = api.Machine{
	ID: "3d8d9e1b2c4f68", Name: "web-1", State: "started", Region: "iad", PrivateIP: "fdaa:0:2a:a7b:1::2",
	Image: "nginxdemos/hello:latest", Version: 2, ProcessGroup: "app",
	Guest:     api.Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 1024},
	CreatedAt: cmdtest.Now.Add(-2 * time.Hour), UpdatedAt: cmdtest.Now.Add(-3 * time.Minute),
}

// captureRoot is `hangar machine` whose subcommands record their options instead of running.
func captureRoot(f *cmdutil.Factory, got *any) *cobra.Command {
	root := &cobra.Command{Use: "machine"}
	root.AddCommand(
		NewCmdList(f, func(o *ListOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdStatus(f, func(o *StatusOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdStart(f, func(o *IDsOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdStop(f, func(o *StopOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdSuspend(f, func(o *IDsOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdDestroy(f, func(o *DestroyOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
		NewCmdRun(f, func(o *RunOptions) error { o.IO, o.Client = nil, nil; *got = o; return nil }),
	)
	return root
}

func TestFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want any
	}{
		{"list", []string{"list", "-a", "web"}, &ListOptions{AppName: "web"}},
		{"ls quiet json", []string{"ls", "-a", "web", "-q", "--json"}, &ListOptions{AppName: "web", Quiet: true, JSON: true}},
		{"status", []string{"status", "-a", "web", "m1", "-j"}, &StatusOptions{AppName: "web", ID: "m1", JSON: true}},
		{"start many", []string{"start", "-a", "web", "m1", "m2"}, &IDsOptions{AppName: "web", IDs: []string{"m1", "m2"}}},
		{"stop with signal", []string{"stop", "-a", "web", "m1", "-s", "SIGTERM", "--timeout", "30"},
			&StopOptions{AppName: "web", IDs: []string{"m1"}, Signal: "SIGTERM", Timeout: 30}},
		{"suspend", []string{"suspend", "-a", "web", "m1"}, &IDsOptions{AppName: "web", IDs: []string{"m1"}}},
		{"destroy force", []string{"destroy", "-a", "web", "-f", "m1"}, &DestroyOptions{AppName: "web", IDs: []string{"m1"}, Force: true}},
		{"rm alias", []string{"rm", "-a", "web", "m1"}, &DestroyOptions{AppName: "web", IDs: []string{"m1"}}},
		{"remove alias", []string{"remove", "-a", "web", "m1"}, &DestroyOptions{AppName: "web", IDs: []string{"m1"}}},
		{"app from fly.toml", []string{"list"}, &ListOptions{AppName: "from-toml"}},
		{"run", []string{"run", "-a", "web", "busybox", "--", "echo", "-n", "hi"},
			&RunOptions{AppName: "web", Image: "busybox", Cmd: []string{"echo", "-n", "hi"}}},
		{"run with env and memory", []string{"run", "-a", "web", "--rm", "--vm-memory", "512", "-e", "A=1", "-e", "B=x=y", "busybox"},
			&RunOptions{AppName: "web", Image: "busybox", Cmd: []string{}, Env: map[string]string{"A": "1", "B": "x=y"}, MemoryMB: 512, Rm: true}},
		{"shell default command", []string{"run", "--shell", "-a", "web", "ubuntu"},
			&RunOptions{AppName: "web", Image: "ubuntu", Cmd: []string{"/bin/sh"}, Shell: true}},
		{"shell --command", []string{"run", "--shell", "--command", "/bin/bash -l", "ubuntu"},
			&RunOptions{AppName: "from-toml", Image: "ubuntu", Cmd: []string{"/bin/bash", "-l"}, Shell: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			env := cmdtest.New(t, dirWithFlyToml(t, "from-toml"), nil, false)
			var got any
			if err := cmdtest.Run(captureRoot(env.F, &got), tt.args...); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     string
		flagErr  bool
		withToml bool
	}{
		{"no app anywhere", []string{"list"}, "no app name: pass -a APP, or run in a directory with fly.toml", true, false},
		{"run needs an app without --shell", []string{"run", "busybox"}, "no app name: pass -a APP, or run in a directory with fly.toml", true, false},
		{"start needs an id", []string{"start", "-a", "web"}, "requires at least 1 arg(s), only received 0", false, false},
		{"status takes one id", []string{"status", "-a", "web", "m1", "m2"}, "accepts 1 arg(s), received 2", false, false},
		{"run needs an image", []string{"run", "-a", "web"}, "requires at least 1 arg(s), only received 0", false, false},
		{"negative timeout", []string{"stop", "-a", "web", "--timeout", "-1", "m1"}, "--timeout must be 0 or more seconds, got -1", true, false},
		{"bad env", []string{"run", "-a", "web", "-e", "NOVALUE", "busybox"}, `invalid --env "NOVALUE": must be in the format NAME=VALUE`, true, false},
		{"empty env name", []string{"run", "-a", "web", "-e", "=v", "busybox"}, `invalid --env "=v": must be in the format NAME=VALUE`, true, false},
		{"negative memory", []string{"run", "-a", "web", "--vm-memory", "-5", "busybox"}, "--vm-memory must be 0 or more megabytes, got -5", true, false},
		{"command without shell", []string{"run", "-a", "web", "--command", "ls", "busybox"}, "--command is for --shell; pass the command after the image instead", true, false},
		{"shell with positional command", []string{"run", "--shell", "ubuntu", "--", "bash", "-l"}, `--shell runs --command, not COMMAND arguments: pass --command "bash -l"`, true, false},
		{"shell with a missing -c file", []string{"run", "--shell", "-c", "nope.toml", "ubuntu"}, "no app name: pass -a APP, or run in a directory with fly.toml", true, false},
		{"unknown flag", []string{"destroy", "--forse", "m1"}, "unknown flag: --forse", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got any
			err := cmdtest.Run(captureRoot(env.F, &got), tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			var fe *cmdutil.FlagError
			if errors.As(err, &fe) != tt.flagErr {
				t.Errorf("usage error = %t, want %t (%T)", !tt.flagErr, tt.flagErr, err)
			}
			if got != nil {
				t.Errorf("ran with %+v", got)
			}
		})
	}
}

// TestShellAppFallback: without -a or fly.toml a shell goes to the shells app, and only a shell.
func TestShellAppFallback(t *testing.T) {
	t.Setenv("FLY_APP", "")
	env := cmdtest.New(t, t.TempDir(), nil, false)
	var got any
	if err := cmdtest.Run(captureRoot(env.F, &got), "run", "--shell", "ubuntu"); err != nil {
		t.Fatal(err)
	}
	if o := got.(*RunOptions); o.AppName != shellsApp || o.Term != nil {
		t.Errorf("app = %q, term = %v; want %q and no terminal (stdin is a buffer)", o.AppName, o.Term, shellsApp)
	}
	t.Setenv("FLY_APP", "env-app")
	if err := cmdtest.Run(captureRoot(env.F, &got), "run", "--shell", "ubuntu"); err != nil {
		t.Fatal(err)
	}
	if o := got.(*RunOptions); o.AppName != "env-app" {
		t.Errorf("with $FLY_APP the app = %q", o.AppName)
	}
}

func TestSizeText(t *testing.T) {
	tests := []struct {
		guest api.Guest
		want  string
	}{
		{api.Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 1024}, "shared-cpu-1x:1024MB"},
		{api.Guest{CPUKind: "shared", CPUs: 2, MemoryMB: 512}, "shared-cpu-2x:512MB"},
		{api.Guest{CPUKind: "performance", CPUs: 4, MemoryMB: 8192}, "performance-4x:8192MB"},
		{api.Guest{MemoryMB: 256}, "shared-cpu-1x:256MB"},
		{api.Guest{}, "shared-cpu-1x"},
	}
	for _, tt := range tests {
		if got := sizeText(tt.guest); got != tt.want {
			t.Errorf("sizeText(%+v) = %q, want %q", tt.guest, got, tt.want)
		}
	}
}

func dirWithFlyToml(t *testing.T, app string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fly.toml"), []byte("app = '"+app+"'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestNewCmdMachineTree(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	cmd := NewCmdMachine(env.F)
	if d := cmp.Diff([]string{"machines", "m"}, cmd.Aliases); d != "" {
		t.Errorf("aliases (-want +got):\n%s", d)
	}
	for alias, want := range map[string]string{"ls": "list", "rm": "destroy", "remove": "destroy", "run": "run", "status": "status",
		"start": "start", "stop": "stop", "suspend": "suspend"} {
		sub, _, err := cmd.Find([]string{alias})
		if err != nil || sub.Name() != want {
			t.Errorf("%s finds %v (%v), want %s", alias, sub.Name(), err, want)
		}
	}
}
