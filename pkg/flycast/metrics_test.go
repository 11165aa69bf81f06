package flycast

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
)

func TestCollectorExportsSnapshots(t *testing.T) {
	c := collector{
		proxy: func() proxy.Snapshot {
			return proxy.Snapshot{Requests: map[int]uint64{200: 1000, 503: 2}, Wakes: 1, Stops: map[string]uint64{"idle": 3}, QueueDepth: 4,
				Phases: map[string]proxy.Histogram{"start": {Bounds: []time.Duration{time.Millisecond, time.Second}, Counts: []uint64{1, 2, 0}, Count: 3, Sum: 900 * time.Millisecond}}}
		},
		dns: func() dns.Metrics { return dns.Metrics{Flycast: dns.ZoneMetrics{Answered: 7}} },
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	want := `
# HELP hangar_proxy_requests_total Requests through the Flycast proxy by HTTP status (499: the client left first).
# TYPE hangar_proxy_requests_total counter
hangar_proxy_requests_total{code="200"} 1000
hangar_proxy_requests_total{code="503"} 2
# HELP hangar_proxy_wake_phase_seconds Duration of each wake phase: queued, start, port_open, first_byte.
# TYPE hangar_proxy_wake_phase_seconds histogram
hangar_proxy_wake_phase_seconds_bucket{phase="start",le="0.001"} 1
hangar_proxy_wake_phase_seconds_bucket{phase="start",le="1"} 3
hangar_proxy_wake_phase_seconds_bucket{phase="start",le="+Inf"} 3
hangar_proxy_wake_phase_seconds_sum{phase="start"} 0.9
hangar_proxy_wake_phase_seconds_count{phase="start"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "hangar_proxy_requests_total", "hangar_proxy_wake_phase_seconds"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(c, "hangar_dns_queries_total"); n != 21 {
		t.Errorf("%d DNS series, want 3 zones × 7 outcomes", n)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}
