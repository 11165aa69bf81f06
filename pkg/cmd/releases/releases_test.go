package releases

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers ListReleases from a function field.
type fakeClient struct {
	listReleases func(app string) ([]api.Release, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) ListReleases(_ context.Context, app string) ([]api.Release, error) {
	return f.listReleases(app)
}

func TestNewCmdReleases(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"app", []string{"-a", "web"}, Options{AppName: "web"}, ""},
		{"json", []string{"-a", "web", "--json"}, Options{AppName: "web", JSON: true}, ""},
		{"no app", nil, Options{}, "no app name: pass -a APP, or run in a directory with fly.toml"},
		{"unknown flag", []string{"-a", "web", "--image"}, Options{}, "unknown flag: --image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdReleases(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("error = %v, want usage error %q", err, tt.wantErr)
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

var seed = []api.Release{
	{Version: 3, Status: "failed", Image: "web:v3", Strategy: "rolling", Reason: "machine 3d8d failed its health check", CreatedAt: cmdtest.Now.Add(-90 * time.Second)},
	{Version: 2, Status: "complete", Image: "web:v2", Strategy: "rolling", CreatedAt: cmdtest.Now.Add(-2*time.Hour - 7*time.Minute)},
	{Version: 1, Status: "superseded", Image: "web:v1", Strategy: "immediate", CreatedAt: time.Date(2026, 11, 1, 9, 30, 0, 0, time.Local)},
}

func TestRunReleases(t *testing.T) {
	tests := []struct {
		name     string
		releases []api.Release
		tty      bool
		json     bool
		want     string
	}{
		{"terminal", seed, true, false, `VERSION STATUS     DESCRIPTION                                               DATE
v3      failed     Deploy image web:v3: machine 3d8d failed its health check 1m30s ago
v2      complete   Deploy image web:v2                                       2h7m ago
v1      superseded Deploy image web:v1                                       Nov 1 2026 09:30
`},
		{"pipe", seed[:2], false, false, "VERSION\tSTATUS\tDESCRIPTION\tDATE\n" +
			"v3\tfailed\tDeploy image web:v3: machine 3d8d failed its health check\t1m30s ago\n" +
			"v2\tcomplete\tDeploy image web:v2\t2h7m ago\n"},
		{"empty", nil, true, false, "VERSION STATUS DESCRIPTION DATE\n"},
		{"empty json", nil, false, true, "[]\n"},
		{"json", seed[:1], true, true, `[
    {
        "version": 3,
        "status": "failed",
        "image": "web:v3",
        "strategy": "rolling",
        "reason": "machine 3d8d failed its health check",
        "created_at": "2026-11-24T09:58:30Z"
    }
]
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ios.SetTTY(tt.tty)
			fc := &fakeClient{listReleases: func(app string) ([]api.Release, error) {
				if app != "web" {
					t.Errorf("app = %q", app)
				}
				return tt.releases, nil
			}}
			opts := &Options{IO: ios, Client: func() (Client, error) { return fc, nil }, Now: func() time.Time { return cmdtest.Now }, AppName: "web", JSON: tt.json}
			if err := runReleases(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if errOut.Len() != 0 {
				t.Errorf("stderr = %q", errOut)
			}
		})
	}
}

func TestRunReleasesUnknownApp(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	notFound := &api.Error{Status: 404, Code: "app_not_found", Message: "app nope not found"}
	fc := &fakeClient{listReleases: func(string) ([]api.Release, error) { return nil, notFound }}
	err := runReleases(context.Background(), &Options{IO: ios, Client: func() (Client, error) { return fc, nil }, Now: time.Now, AppName: "nope"})
	if !errors.Is(err, notFound) || out.Len() != 0 {
		t.Fatalf("error = %v, stdout %q", err, out)
	}
}
