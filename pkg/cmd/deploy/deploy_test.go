package deploy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

type fakeClient struct {
	deploy func(app string, req api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) Deploy(_ context.Context, app string, req api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error) {
	return f.deploy(app, req, progress)
}

const flyToml = "app = 'demo'\n\n[build]\n  image = 'hello'\n\n[http_service]\n  internal_port = 80\n"

func TestNewCmdDeployFlags(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "fly.toml"), []byte(flyToml), 0o644)
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"defaults", nil, Options{AppName: "demo", ConfigPath: filepath.Join(dir, "fly.toml"), HA: true, WaitTimeout: 5 * time.Minute}, ""},
		{"flags", []string{"--image", "x:2", "--ha=false", "--strategy", "immediate", "--wait-timeout", "30s", "--detach", "-a", "other"},
			Options{AppName: "other", ConfigPath: filepath.Join(dir, "fly.toml"), Image: "x:2", Strategy: "immediate", WaitTimeout: 30 * time.Second, Detach: true}, ""},
		{"bad strategy", []string{"--strategy", "canary"}, Options{}, `--strategy must be rolling or immediate, got "canary"`},
		{"bad timeout", []string{"--wait-timeout", "0s"}, Options{}, "--wait-timeout must be positive, got 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, dir, nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdDeploy(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client = nil, nil
			if d := cmp.Diff(tt.want, *got); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

func runWith(t *testing.T, content string, fc *fakeClient, detach bool) (string, error) {
	io, _, _, errOut := iostreams.Test()
	err := runOn(t, io, content, fc, detach)
	return errOut.String(), err
}

func runOn(t *testing.T, io *iostreams.IOStreams, content string, fc *fakeClient, detach bool) error {
	dir := t.TempDir()
	path := filepath.Join(dir, "fly.toml")
	os.WriteFile(path, []byte(content), 0o644)
	opts := &Options{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "demo", ConfigPath: path, HA: true, WaitTimeout: time.Minute, Detach: detach}
	return Run(context.Background(), opts)
}

// TestProgressFollowsTheTerminalItDrawsOn: bars are drawn in place only when stderr,
// where progress goes, is a terminal, whatever stdout is: `hangar deploy 2>log` gets
// plain lines and `hangar deploy >out` at a terminal keeps the bars.
func TestProgressFollowsTheTerminalItDrawsOn(t *testing.T) {
	tests := []struct {
		name           string
		stdout, stderr bool
		bars           bool
	}{
		{"both at a terminal", true, true, true},
		{"stderr to a file", true, false, false},
		{"stdout to a file", false, true, true},
		{"neither at a terminal", false, false, false},
	}
	fc := &fakeClient{deploy: func(_ string, _ api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error) {
		progress(api.DeployEvent{Kind: "step", Text: "Pulling hello"})
		progress(api.DeployEvent{Kind: "pull", Layer: "abc", Text: "Downloading", Current: 5e6, Total: 10e6})
		progress(api.DeployEvent{Kind: "machine", Text: "Machine 3d8d (app) started"})
		return api.Release{Version: 1, Status: "complete"}, nil
	}}
	bar := "\r\x1b[Kabc: Downloading [" + strings.Repeat("=", 15) + ">" + strings.Repeat(" ", 15) + "] 5.0MB/10.0MB\n"
	plain := "==> Verifying app config\n--> Verified app config\n==> Pulling hello\nabc: Downloading\nMachine 3d8d (app) started\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _, errOut := iostreams.Test()
			io.SetStdoutTTY(tt.stdout)
			io.SetStderrTTY(tt.stderr)
			if err := runOn(t, io, flyToml, fc, false); err != nil {
				t.Fatal(err)
			}
			got := errOut.String()
			if tt.bars && !strings.Contains(got, bar) {
				t.Errorf("stderr at a terminal has no bar %q:\n%q", bar, got)
			}
			if !tt.bars && got != plain {
				t.Errorf("stderr not at a terminal (-want +got):\n%s", cmp.Diff(plain, got))
			}
		})
	}
}

func TestRunRendersProgressWithoutTerminal(t *testing.T) {
	fc := &fakeClient{deploy: func(app string, req api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error) {
		if app != "demo" || req.Config != flyToml || !req.HA || req.WaitTimeout != 60 {
			t.Errorf("request %q %+v", app, req)
		}
		for _, ev := range []api.DeployEvent{
			{Kind: "step", Text: "Pulling hello"},
			{Kind: "pull", Layer: "abc", Text: "Downloading", Current: 1, Total: 10},
			{Kind: "pull", Layer: "abc", Text: "Downloading", Current: 5, Total: 10},
			{Kind: "pull", Layer: "abc", Text: "Pull complete"},
			{Kind: "machine", Text: "Machine 3d8d (app) started, listening on [fdaa::2]:80"},
			{Kind: "info", Text: "Finished deploying. Reach it from your private network at http://demo.flycast"},
		} {
			progress(ev)
		}
		return api.Release{Version: 1, Status: "complete"}, nil
	}}
	out, err := runWith(t, flyToml, fc, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "==> Verifying app config\n--> Verified app config\n==> Pulling hello\nabc: Downloading\nabc: Pull complete\n" +
		"Machine 3d8d (app) started, listening on [fdaa::2]:80\nFinished deploying. Reach it from your private network at http://demo.flycast\n"
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("output (-want +got):\n%s", d)
	}
}

func TestRunStopsOnInvalidConfig(t *testing.T) {
	fc := &fakeClient{deploy: func(string, api.DeployRequest, func(api.DeployEvent)) (api.Release, error) {
		t.Fatal("deployed an invalid config")
		return api.Release{}, nil
	}}
	out, err := runWith(t, "app = 'demo'\n[http_service]\n  internal_port = 0\n", fc, false)
	if err == nil || !strings.Contains(out, "fly.toml:3: http_service.internal_port must be 1-65535, got 0") {
		t.Errorf("err = %v, output:\n%s", err, out)
	}
}

func TestRunReportsDeployFailure(t *testing.T) {
	fc := &fakeClient{deploy: func(string, api.DeployRequest, func(api.DeployEvent)) (api.Release, error) {
		return api.Release{}, &api.Error{Message: "machine 3d8d exited with code 1 before it listened on port 80"}
	}}
	if _, err := runWith(t, flyToml, fc, false); err == nil || !strings.Contains(err.Error(), "exited with code 1") {
		t.Errorf("err = %v", err)
	}
}

func TestDetachReturnsAfterFirstMachine(t *testing.T) {
	fc := &fakeClient{deploy: func(_ string, _ api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error) {
		progress(api.DeployEvent{Kind: "machine", Text: "Machine 1 created"})
		return api.Release{}, context.Canceled // what the client returns once the context is cancelled
	}}
	out, err := runWith(t, flyToml, fc, true)
	if err != nil || !strings.Contains(out, "The deploy goes on in the hangar agent") {
		t.Errorf("err = %v, output:\n%s", err, out)
	}
}
