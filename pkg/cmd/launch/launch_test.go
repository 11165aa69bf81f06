package launch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/agent/agenttest"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/toml"
)

func TestNewCmdLaunchFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    launch.Input
		wantErr string
	}{
		{"seed flags", []string{"--image", "nginxdemos/hello", "--flycast", "--internal-port", "80", "--no-deploy"},
			launch.Input{Dir: "/work/flycast-demo", Image: "nginxdemos/hello", InternalPort: 80, Flycast: true, AutoStop: toml.AutoStopStop}, ""},
		{"suspend and name", []string{"-i", "x", "--name", "admin", "--auto-stop", "suspend", "--path", "sub"},
			launch.Input{Dir: "/work/flycast-demo/sub", Image: "x", Name: "admin", AutoStop: toml.AutoStopSuspend}, ""},
		{"port too big", []string{"--internal-port", "70000"}, launch.Input{}, "--internal-port must be 1-65535, got 70000"},
		{"negative port", []string{"--internal-port", "-1"}, launch.Input{}, "--internal-port must be 1-65535, got -1"},
		{"bad name", []string{"--name", "Admin_Panel"}, launch.Input{}, `invalid app name: "Admin_Panel": app name must consist of only lowercase letters, numbers, and dashes`},
		{"bad auto-stop", []string{"--auto-stop", "on"}, launch.Input{}, `--auto-stop must be off, stop or suspend, got "on"`},
		{"unknown flag", []string{"--publik"}, launch.Input{}, "unknown flag: --publik"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, "/work/flycast-demo", nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdLaunch(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("error = %v, want flag error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got.Input); d != "" {
				t.Errorf("input (-want +got):\n%s", d)
			}
		})
	}
}

// launchIn runs `hangar launch args…` in a fresh directory named dirName against a real in-process agent.
func launchIn(t *testing.T, a *agenttest.Agent, dirName string, tty bool, pr *cmdtest.Prompter, args ...string) (string, *cmdtest.Env, error) {
	dir := filepath.Join(t.TempDir(), dirName)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	env := cmdtest.New(t, dir, a.Client, tty)
	if pr != nil {
		env.F.Prompter = pr
	}
	return dir, env, cmdtest.Run(NewCmdLaunch(env.F, nil), args...)
}

func TestLaunchSeedWritesFlyctlShapeAndAllocatesFlycast(t *testing.T) {
	a := agenttest.Start(t, nil)
	dir, env, err := launchIn(t, a, "flycast-demo", false, nil, "--image", "nginxdemos/hello", "--flycast", "--internal-port", "80", "--no-deploy")
	if err != nil {
		t.Fatalf("launch: %v\n%s", err, env.ErrOut)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "fly.toml"))
	want, _ := os.ReadFile("testdata/seed-fly.toml")
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("fly.toml (-want +got):\n%s", d)
	}
	ips, err := a.Store.IPs("flycast-demo")
	if err != nil || len(ips) != 1 {
		t.Fatalf("ips = %v, %v; want one private address", ips, err)
	}
	for _, want := range []string{"Created app 'flycast-demo' in organization 'personal'", "Private ipv6: " + ips[0].Addr.String(),
		"Hostname: flycast-demo.flycast", "force_https = false", "Your app is ready! Deploy with `hangar deploy`"} {
		if !strings.Contains(env.ErrOut.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, env.ErrOut)
		}
	}
	if strings.Contains(env.ErrOut.String(), "fly.dev") {
		t.Errorf("a private app was given a public hostname:\n%s", env.ErrOut)
	}
}

func TestLaunchRefusesExistingFlyToml(t *testing.T) {
	a := agenttest.Start(t, nil)
	dir := filepath.Join(t.TempDir(), "demo")
	os.Mkdir(dir, 0o755)
	old := "app = 'other'\n"
	os.WriteFile(filepath.Join(dir, "fly.toml"), []byte(old), 0o644)
	env := cmdtest.New(t, dir, a.Client, false)
	err := cmdtest.Run(NewCmdLaunch(env.F, nil), "--image", "x")
	if err == nil || !strings.Contains(err.Error(), "already exists and hangar will not overwrite it: pass --copy-config") {
		t.Fatalf("error = %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "fly.toml")); string(got) != old {
		t.Errorf("fly.toml changed to %q", got)
	}
	if apps, _ := a.Store.Apps(""); len(apps) != 0 {
		t.Errorf("apps created: %v", apps)
	}
}

func TestLaunchCopyConfigKeepsUnknownKeys(t *testing.T) {
	a := agenttest.Start(t, nil)
	dir := filepath.Join(t.TempDir(), "demo")
	os.Mkdir(dir, 0o755)
	src := "app = 'old'\nfuture_key = 'kept'\n\n[http_service]\n  internal_port = 3000\n  force_https = false\n"
	os.WriteFile(filepath.Join(dir, "fly.toml"), []byte(src), 0o644)
	env := cmdtest.New(t, dir, a.Client, false)
	if err := cmdtest.Run(NewCmdLaunch(env.F, nil), "--copy-config", "--name", "new-app", "--image", "x", "--no-deploy"); err != nil {
		t.Fatalf("launch: %v\n%s", err, env.ErrOut)
	}
	cfg, err := toml.Load(filepath.Join(dir, "fly.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.App != "new-app" || cfg.HTTPService.InternalPort != 3000 || !slices.Contains(cfg.UnknownKeys(), "future_key") {
		t.Errorf("copied config: app %q port %d unknown %v", cfg.App, cfg.HTTPService.InternalPort, cfg.UnknownKeys())
	}
	if strings.Contains(env.ErrOut.String(), "force_https = false in") {
		t.Errorf("force_https note shown for a file that already turned it off")
	}
}

func TestLaunchTakenNameWritesNothing(t *testing.T) {
	a := agenttest.Start(t, nil)
	if _, _, err := launchIn(t, a, "demo", false, nil, "--image", "x", "--no-deploy"); err != nil {
		t.Fatal(err)
	}
	dir, _, err := launchIn(t, a, "demo", false, nil, "--image", "x", "--no-deploy")
	want := "app name demo is already taken: choose another with --name, or remove the old app with hangar apps destroy demo"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestLaunchInteractiveAsksNameOrgAndTweak(t *testing.T) {
	a := agenttest.Start(t, nil)
	pr := &cmdtest.Prompter{T: t,
		Inputs:   map[string]string{"Choose an app name (it becomes <name>.flycast)": "admin-panel"},
		Confirms: map[string]bool{launch.TweakQuestion: false},
	}
	_, env, err := launchIn(t, a, "Some Dir", true, pr, "--image", "x", "--no-deploy")
	if err != nil {
		t.Fatalf("launch: %v\n%s", err, env.ErrOut)
	}
	want := []string{"Choose an app name (it becomes <name>.flycast)", "Select organization", launch.TweakQuestion}
	if d := cmp.Diff(want, pr.Asked); d != "" {
		t.Errorf("questions (-want +got):\n%s", d)
	}
	if _, err := a.Store.App("admin-panel"); err != nil {
		t.Error(err)
	}
}

func TestLaunchYesAtTerminalAsksNothing(t *testing.T) {
	a := agenttest.Start(t, nil)
	pr := &cmdtest.Prompter{T: t}
	if _, _, err := launchIn(t, a, "My Tool!", true, pr, "--image", "x", "--yes", "--no-deploy"); err != nil {
		t.Fatal(err)
	}
	if len(pr.Asked) != 0 {
		t.Errorf("asked %v despite --yes", pr.Asked)
	}
	if _, err := a.Store.App("my-tool"); err != nil {
		t.Errorf("app named from directory: %v", err)
	}
}

func TestLaunchDeploysUnlessNoDeploy(t *testing.T) {
	a := agenttest.Start(t, nil)
	dir := filepath.Join(t.TempDir(), "web")
	os.Mkdir(dir, 0o755)
	env := cmdtest.New(t, dir, a.Client, false)
	var deployed []string
	cmd := NewCmdLaunch(env.F, func(o *Options) error {
		o.Deploy = func(_ context.Context, app, configPath string) error {
			deployed = append(deployed, app+" "+configPath)
			return nil
		}
		return runLaunch(context.Background(), o)
	})
	if err := cmdtest.Run(cmd, "--image", "x", "--yes"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"web " + filepath.Join(dir, "fly.toml")}; !slices.Equal(deployed, want) {
		t.Errorf("deployed %v, want %v", deployed, want)
	}
	if strings.Contains(env.ErrOut.String(), "Your app is ready! Deploy with") {
		t.Errorf("told to deploy by hand after deploying:\n%s", env.ErrOut)
	}
}
