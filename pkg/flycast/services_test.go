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
