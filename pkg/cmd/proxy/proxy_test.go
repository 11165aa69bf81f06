package proxy

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

func TestNewCmdProxy(t *testing.T) {
	def := func(o ProxyOptions) ProxyOptions {
		o.AppName = "web"
		if o.BindAddr == "" {
			o.BindAddr = "127.0.0.1"
		}
		if o.RemoteHost == "" {
			o.RemoteHost = "web.flycast"
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    ProxyOptions
		wantErr string
	}{
		{"remote port defaults to local", []string{"5432", "-a", "web"}, def(ProxyOptions{LocalPort: 5432, RemotePort: 5432}), ""},
		{"local and remote", []string{"5432:5433", "-a", "web"}, def(ProxyOptions{LocalPort: 5432, RemotePort: 5433}), ""},
		{"free local port", []string{"0:80", "-a", "web"}, def(ProxyOptions{RemotePort: 80}), ""},
		{"remote host", []string{"8080", "web.internal", "-a", "web"}, def(ProxyOptions{LocalPort: 8080, RemotePort: 8080, RemoteHost: "web.internal"}), ""},
		{"bracketed address", []string{"80", "[fdaa:0:1:0:1::2]", "-a", "web"}, def(ProxyOptions{LocalPort: 80, RemotePort: 80, RemoteHost: "fdaa:0:1:0:1::2"}), ""},
		{"bind address and quiet", []string{"5432", "-a", "web", "-b", "0.0.0.0", "--quiet"},
			def(ProxyOptions{LocalPort: 5432, RemotePort: 5432, Quiet: true, BindAddr: "0.0.0.0"}), ""},
		{"long flags", []string{"5432", "--app", "web", "--bind-addr", "::1", "-q"},
			def(ProxyOptions{LocalPort: 5432, RemotePort: 5432, Quiet: true, BindAddr: "::1"}), ""},
		{"unix socket", []string{"/tmp/pg.sock:5432", "-a", "web"}, def(ProxyOptions{LocalPath: "/tmp/pg.sock", RemotePort: 5432}), ""},
		{"no ports", []string{"-a", "web"}, ProxyOptions{}, "accepts between 1 and 2 arg(s), received 0"},
		{"too many arguments", []string{"5432", "web.flycast", "extra", "-a", "web"}, ProxyOptions{}, "accepts between 1 and 2 arg(s), received 3"},
		{"port 0 alone", []string{"0", "-a", "web"}, ProxyOptions{}, "local port 0 picks a free port, so give the remote port too, like 0:80"},
		{"not a port", []string{"pg", "-a", "web"}, ProxyOptions{},
			`invalid local port "pg": want a number from 0 to 65535 (0 picks a free one), or a unix socket path`},
		{"local too big", []string{"70000:80", "-a", "web"}, ProxyOptions{},
			`invalid local port "70000": want a number from 0 to 65535 (0 picks a free one), or a unix socket path`},
		{"empty local", []string{":80", "-a", "web"}, ProxyOptions{},
			`invalid local port "": want a number from 0 to 65535 (0 picks a free one), or a unix socket path`},
		{"empty remote", []string{"5432:", "-a", "web"}, ProxyOptions{}, `invalid remote port "": want a number from 1 to 65535`},
		{"remote 0", []string{"5432:0", "-a", "web"}, ProxyOptions{}, `invalid remote port "0": want a number from 1 to 65535`},
		{"remote not a number", []string{"5432:pg", "-a", "web"}, ProxyOptions{}, `invalid remote port "pg": want a number from 1 to 65535`},
		{"three parts", []string{"1:2:3", "-a", "web"}, ProxyOptions{}, `invalid ports "1:2:3": want <local>[:<remote>], like 5432 or 15432:5432`},
		{"unix socket alone", []string{"/tmp/pg.sock", "-a", "web"}, ProxyOptions{}, "a unix socket needs a remote port: /tmp/pg.sock:<port>"},
		{"no app", []string{"5432"}, ProxyOptions{}, "no app name: pass -a APP, or run in a directory with fly.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *ProxyOptions
			err := cmdtest.Run(NewCmdProxy(env.F, func(o *ProxyOptions) error { got = o; return nil }), tt.args...)
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
			got.IO, got.Client = nil, nil
			if d := cmp.Diff(tt.want, *got); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

func TestNewCmdProxyAppFromEnvironment(t *testing.T) {
	t.Setenv("FLY_APP", "db")
	env := cmdtest.New(t, t.TempDir(), nil, false)
	var got *ProxyOptions
	if err := cmdtest.Run(NewCmdProxy(env.F, func(o *ProxyOptions) error { got = o; return nil }), "5432"); err != nil {
		t.Fatal(err)
	}
	if got.AppName != "db" || got.RemoteHost != "db.flycast" {
		t.Errorf("app %q, remote host %q; want db and db.flycast", got.AppName, got.RemoteHost)
	}
}
