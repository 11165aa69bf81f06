package flycast

import (
	"net/netip"
	"testing"

	"github.com/hangarhq/hangar/pkg/proxy"
)

// FuzzByHost: any Host header and port finds the app's service or nothing, never panics,
// and never finds a service of another app.
func FuzzByHost(f *testing.F) {
	ix := &Index{}
	svc := proxy.Service{App: "flycast-demo", Port: 80}
	ix.snap.Store(&snapshot{byHost: map[string]map[uint16]proxy.Service{"flycast-demo": {80: svc}},
		byAddr: map[netip.AddrPort]proxy.Service{}})
	for _, s := range []string{"flycast-demo.flycast", "FLYCAST-DEMO.flycast.", "flycast-demo.flycast.flycast", ".flycast", "flycast-demo", ""} {
		f.Add(s, uint16(80))
	}
	f.Fuzz(func(t *testing.T, host string, port uint16) {
		got, ok := ix.ByHost(host, port)
		if ok && (got != svc || port != 80) {
			t.Errorf("ByHost(%q, %d) = %+v", host, port, got)
		}
	})
}
