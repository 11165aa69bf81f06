package status

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

// fakeClient answers from function fields.
type fakeClient struct {
	getApp       func(app string) (api.App, error)
	listMachines func(app string) ([]api.Machine, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) GetApp(_ context.Context, app string) (api.App, error) { return f.getApp(app) }
func (f *fakeClient) ListMachines(_ context.Context, app string) ([]api.Machine, error) {
	return f.listMachines(app)
}

func TestNewCmdStatus(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"app flag", []string{"-a", "web"}, Options{AppName: "web"}, ""},
		{"json", []string{"--app", "web", "--json"}, Options{AppName: "web", JSON: true}, ""},
		{"config dir", []string{"-c", "svc"}, Options{AppName: "from-toml"}, ""},
		{"config file", []string{"--config", "svc/fly.toml", "-j"}, Options{AppName: "from-toml", JSON: true}, ""},
		{"no app", nil, Options{}, "no app name: pass -a APP, or run in a directory with fly.toml"},
		{"no arguments", []string{"-a", "web", "extra"}, Options{}, `unknown command "extra" for "status"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			dir := t.TempDir()
			writeFlyToml(t, filepath.Join(dir, "svc"), "from-toml")
			env := cmdtest.New(t, dir, nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdStatus(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client, got.Now = nil, nil, nil
			if d := cmp.Diff(tt.want, *got); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

func TestNoAppIsAUsageError(t *testing.T) {
	t.Setenv("FLY_APP", "")
	env := cmdtest.New(t, t.TempDir(), nil, false)
	err := cmdtest.Run(NewCmdStatus(env.F, nil))
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v (%T), want a usage error", err, err)
	}
}

var webApp = api.App{
	Name: "web", Organization: api.Organization{Slug: "personal", Name: "Personal", Prefix: "fdaa:0:2a::/48", CreatedAt: cmdtest.Now.Add(-48 * time.Hour)},
	Status: "deployed", Network: "default", Private: true, Hostname: "web.flycast", CreatedAt: cmdtest.Now.Add(-24 * time.Hour),
}

var machines = []api.Machine{
	{ID: "b2", State: "stopped", SleepTier: "stop", Region: "iad", Image: "nginxdemos/hello:1", Version: 1, ProcessGroup: "app",
		CreatedAt: cmdtest.Now.Add(-3 * time.Hour), UpdatedAt: cmdtest.Now.Add(-2 * time.Hour)},
	{ID: "a1", State: "started", Region: "iad", Image: "nginxdemos/hello:2", Version: 2, ProcessGroup: "app",
		CreatedAt: cmdtest.Now.Add(-time.Hour), UpdatedAt: cmdtest.Now.Add(-10 * time.Minute), LastWake: cmdtest.Now.Add(-5 * time.Minute)},
}

func TestRunStatus(t *testing.T) {
	tests := []struct {
		name     string
		machines []api.Machine
		tty      bool
		json     bool
		wantOut  string
		wantErr  string
	}{
		{"terminal", machines, true, false, `App
  Name     = web
  Owner    = personal
  Hostname = web.flycast
  Image    = nginxdemos/hello:2
  Status   = deployed

Machines
PROCESS ID VERSION REGION STATE   SLEEP ROLE CHECKS LAST UPDATED         LAST WAKE
app     a1 2       iad    started -                 2026-11-24T09:50:00Z 5m ago
app     b2 1       iad    stopped stop              2026-11-24T08:00:00Z -
`, ""},
		{"pipe", machines, false, false, "App\n  Name     = web\n  Owner    = personal\n  Hostname = web.flycast\n  Image    = nginxdemos/hello:2\n  Status   = deployed\n\n" +
			"Machines\nPROCESS\tID\tVERSION\tREGION\tSTATE\tSLEEP\tROLE\tCHECKS\tLAST UPDATED\tLAST WAKE\n" +
			"app\ta1\t2\tiad\tstarted\t-\t\t\t2026-11-24T09:50:00Z\t5m ago\n" +
			"app\tb2\t1\tiad\tstopped\tstop\t\t\t2026-11-24T08:00:00Z\t-\n", ""},
		{"no machines", nil, true, false, `App
  Name     = web
  Owner    = personal
  Hostname = web.flycast
  Image    = -
  Status   = deployed

`, "No machines are available on this app web\n"},
		{"json without machines", nil, false, true, `{
    "app": {
        "name": "web",
        "organization": {
            "slug": "personal",
            "name": "Personal",
            "prefix": "fdaa:0:2a::/48",
            "created_at": "2026-11-22T10:00:00Z"
        },
        "status": "deployed",
        "network": "default",
        "private": true,
        "hostname": "web.flycast",
        "created_at": "2026-11-23T10:00:00Z"
    },
    "machines": []
}
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{
				getApp: func(app string) (api.App, error) { return webApp, nil },
				listMachines: func(app string) ([]api.Machine, error) {
					if app != "web" {
						t.Errorf("app = %q", app)
					}
					return tt.machines, nil
				},
			}
			opts := &Options{IO: io, Client: func() (Client, error) { return fc, nil }, Now: func() time.Time { return cmdtest.Now }, AppName: "web", JSON: tt.json}
			if err := runStatus(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.wantOut, out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantErr, errOut.String()); d != "" {
				t.Errorf("stderr (-want +got):\n%s", d)
			}
		})
	}
}

func TestRunStatusJSONMachines(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	fc := &fakeClient{
		getApp:       func(string) (api.App, error) { return webApp, nil },
		listMachines: func(string) ([]api.Machine, error) { return machines[1:], nil },
	}
	opts := &Options{IO: io, Client: func() (Client, error) { return fc, nil }, Now: time.Now, AppName: "web", JSON: true}
	if err := runStatus(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := `    "machines": [
        {
            "id": "a1",
            "name": "",
            "state": "started",
            "region": "iad",
            "private_ip": "",
            "image": "nginxdemos/hello:2",
            "version": 2,
            "process_group": "app",
            "guest": {
                "cpu_kind": "",
                "cpus": 0,
                "memory_mb": 0
            },
            "last_wake": "2026-11-24T09:55:00Z",
            "created_at": "2026-11-24T09:00:00Z",
            "updated_at": "2026-11-24T09:50:00Z"
        }
    ]
}
`
	if got := out.String(); !strings.HasSuffix(got, want) {
		t.Errorf("json ends (-want +got):\n%s", cmp.Diff(want, got))
	}
}

func TestRunStatusUnknownApp(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	notFound := &api.Error{Status: 404, Code: "app_not_found", Message: "app nope not found"}
	fc := &fakeClient{getApp: func(string) (api.App, error) { return api.App{}, notFound }}
	err := runStatus(context.Background(), &Options{IO: io, Client: func() (Client, error) { return fc, nil }, Now: time.Now, AppName: "nope"})
	if !errors.Is(err, notFound) {
		t.Fatalf("error = %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q", out)
	}
}

func writeFlyToml(t *testing.T, dir, app string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fly.toml"), []byte("app = '"+app+"'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
