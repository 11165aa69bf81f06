package flycast

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/toml"
)

func TestProxyServicesFromFlyToml(t *testing.T) {
	cfg, err := toml.Parse("fly.toml", []byte(`app = 'web'

[http_service]
  internal_port = 8080
  force_https = true
  auto_stop_machines = 'suspend'
  auto_start_machines = true
  min_machines_running = 1

  [http_service.concurrency]
    type = 'requests'
    soft_limit = 20
    hard_limit = 25

[[services]]
  internal_port = 5432
  protocol = 'tcp'

  [[services.ports]]
    port = 5432
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []proxy.Service{
		{App: "web", Port: 80, InternalPort: 8080, HTTP: true, ForceHTTPS: true, AutoStop: "suspend", AutoStart: true, MinRunning: 1,
			Concurrency: proxy.Concurrency{Type: "requests", SoftLimit: 20, HardLimit: 25}, IdleTimeout: time.Minute},
		{App: "web", Port: 5432, InternalPort: 5432, AutoStop: "off", AutoStart: true, IdleTimeout: time.Minute},
	}
	if d := cmp.Diff(want, proxyServices("web", cfg, time.Minute), cmpopts.EquateComparable(netip.Prefix{})); d != "" {
		t.Errorf("services (-want +got):\n%s (port 443 has the tls handler and is left out)", d)
	}
}

// TestServiceGroups holds the proxy to deploy's reading of processes: it routes
// to the machines of the groups that deploy gave a service, and no others.
func TestServiceGroups(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"no services", `app = "a"`, nil},
		{"no [processes]", "app = \"a\"\n[http_service]\n  internal_port = 80\n", []string{"app"}},
		{"empty list: the default group only", "app = \"a\"\n[processes]\n  app = \"x\"\n  worker = \"y\"\n[http_service]\n  internal_port = 80\n", []string{"app"}},
		{"named groups, once each", "app = \"a\"\n[processes]\n  web = \"x\"\n  api = \"y\"\n  cron = \"z\"\n" +
			"[http_service]\n  internal_port = 80\n  processes = [\"web\", \"api\"]\n[[services]]\n  internal_port = 81\n  protocol = \"tcp\"\n  processes = [\"web\"]\n",
			[]string{"api", "web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := toml.Parse("fly.toml", []byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, serviceGroups(cfg)); diff != "" {
				t.Errorf("serviceGroups (-want +got):\n%s", diff)
			}
		})
	}
}
