package dns

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"
)

func TestMetricsCountOutcomes(t *testing.T) {
	h := NewHandler(testCatalog(), nil)
	queries := []struct {
		caller, name string
		qtype        uint16
	}{
		{loopback, "web.flycast.", dns.TypeAAAA},     // flycast answered
		{loopback, "web.flycast.", dns.TypeA},        // flycast nodata
		{loopback, "ghost.flycast.", dns.TypeAAAA},   // flycast nxdomain
		{stranger, "web.flycast.", dns.TypeAAAA},     // flycast refused
		{loopback, "web.internal.", dns.TypeAAAA},    // internal answered
		{loopback, "_apps.internal.", dns.TypeTXT},   // internal answered
		{loopback, "sleepy.internal.", dns.TypeAAAA}, // internal nodata
		{loopback, "example.com.", dns.TypeA},        // other refused: no forwarder
	}
	for _, q := range queries {
		ask(t, h, q.caller, false, query(q.name, q.qtype))
	}
	ask(t, h, loopback, false, new(dns.Msg)) // other malformed
	want := Metrics{
		Flycast:  ZoneMetrics{Answered: 1, NoData: 1, NXDomain: 1, Refused: 1},
		Internal: ZoneMetrics{Answered: 2, NoData: 1},
		Other:    ZoneMetrics{Refused: 1, Malformed: 1},
	}
	got := h.Metrics()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(ZoneMetrics{}, "Latency")); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if got.Flycast.Queries() != 4 || got.Flycast.Latency <= 0 {
		t.Errorf("flycast: %d queries in %v, want 4 in some time", got.Flycast.Queries(), got.Flycast.Latency)
	}
}
