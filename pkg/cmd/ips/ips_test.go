package ips

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/agent/agenttest"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers from function fields; unset ones fail.
type fakeClient struct {
	listIPs      func(app string) ([]api.IPAddress, error)
	allocateIP   func(app, typ string) (api.IPAddress, error)
	releaseIP    func(app, addr string) error
	listMachines func(app string) ([]api.Machine, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) ListIPs(_ context.Context, app string) ([]api.IPAddress, error) {
	return f.listIPs(app)
}
func (f *fakeClient) AllocateIP(_ context.Context, app, typ string) (api.IPAddress, error) {
	return f.allocateIP(app, typ)
}
func (f *fakeClient) ReleaseIP(_ context.Context, app, addr string) error {
	return f.releaseIP(app, addr)
}
func (f *fakeClient) ListMachines(_ context.Context, app string) ([]api.Machine, error) {
	return f.listMachines(app)
}

var seedIP = api.IPAddress{Address: "fdaa:0:2a:0:1::3", Type: "private_v6", Region: "global", CreatedAt: cmdtest.Now.Add(-2 * time.Minute)}

func TestRunList(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		json bool
		want string
	}{
		{"terminal", true, false, "VERSION IP               TYPE    REGION CREATED AT\nv6      fdaa:0:2a:0:1::3 private global 2m ago\n"},
		{"pipe", false, false, "VERSION\tIP\tTYPE\tREGION\tCREATED AT\nv6\tfdaa:0:2a:0:1::3\tprivate\tglobal\t2m ago\n"},
		{"json", false, true, `[
    {
        "ID": "",
        "Address": "fdaa:0:2a:0:1::3",
        "Type": "private_v6",
        "Region": "global",
        "CreatedAt": "2026-11-24T09:58:00Z",
        "ServiceName": "",
        "Network": null
    }
]
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, _ := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{listIPs: func(app string) ([]api.IPAddress, error) {
				if app != "flycast-demo" {
					t.Errorf("app = %q", app)
				}
				return []api.IPAddress{seedIP}, nil
			}}
			opts := &ListOptions{IO: io, Client: func() (Client, error) { return fc, nil }, Now: func() time.Time { return cmdtest.Now }, AppName: "flycast-demo", JSON: tt.json}
			if err := runList(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, out.String()); d != "" {
				t.Errorf("output (-want +got):\n%s", d)
			}
		})
	}
}

func TestRunListEmptyJSONIsArray(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	fc := &fakeClient{listIPs: func(string) ([]api.IPAddress, error) { return nil, nil }}
	opts := &ListOptions{IO: io, Client: func() (Client, error) { return fc, nil }, Now: time.Now, AppName: "a", JSON: true}
	if err := runList(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("got %q, want []", out.String())
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"public v6 refused", []string{"allocate-v6", "-a", "x"}, "hangar apps are private and never get a public address: add --private"},
		{"bad address", []string{"release", "-a", "x", "10.0.0.300"}, "Invalid IP address: '10.0.0.300'"},
		{"release needs an address", []string{"release", "-a", "x"}, "requires at least 1 arg(s), only received 0"},
		{"no app anywhere", []string{"list"}, "no app name: pass -a APP, or run in a directory with fly.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			err := cmdtest.Run(NewCmdIPs(env.F), tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			var fe *cmdutil.FlagError
			if !errors.As(err, &fe) && tt.name != "release needs an address" {
				t.Errorf("not a usage error: %T", err)
			}
		})
	}
}

// TestAgainstAgent allocates, lists, releases and lists again through the real agent.
func TestAgainstAgent(t *testing.T) {
	a := agenttest.Start(t, func() time.Time { return cmdtest.Now })
	if _, err := a.Client.CreateApp(context.Background(), api.CreateAppRequest{AppName: "svc"}); err != nil {
		t.Fatal(err)
	}
	env := cmdtest.New(t, t.TempDir(), a.Client, false)
	if err := cmdtest.Run(NewCmdIPs(env.F), "allocate-v6", "--private", "-a", "svc"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(env.Out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("allocate output:\n%s", env.Out)
	}
	addr, err := netip.ParseAddr(strings.Split(lines[1], "\t")[1])
	if err != nil || !addr.Is6() {
		t.Fatalf("allocated %q: %v", lines[1], err)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdIPs(env.F), "release", "-a", "svc", addr.String()); err != nil {
		t.Fatal(err)
	}
	if want := "Released " + addr.String() + " from svc\n"; env.Out.String() != want {
		t.Errorf("release output %q, want %q", env.Out, want)
	}
	env.Out.Reset()
	if err := cmdtest.Run(NewCmdIPs(env.F), "list", "-a", "svc"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "VERSION\tIP\tTYPE\tREGION\tCREATED AT\n" {
		t.Errorf("list after release:\n%s", env.Out)
	}
	err = cmdtest.Run(NewCmdIPs(env.F), "list", "-a", "nope")
	if err == nil || !strings.Contains(err.Error(), "app nope not found") {
		t.Errorf("unknown app: %v", err)
	}
}
