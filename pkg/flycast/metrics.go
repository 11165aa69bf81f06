package flycast

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
)

// collector exports the proxy's and the DNS server's counters in Prometheus form, read
// at scrape time from their own snapshots (they keep plain atomic counters).
type collector struct {
	proxy func() proxy.Snapshot
	dns   func() dns.Metrics
}

var (
	descRequests = prometheus.NewDesc("hangar_proxy_requests_total", "Requests through the Flycast proxy by HTTP status (499: the client left first).", []string{"code"}, nil)
	descWakes    = prometheus.NewDesc("hangar_proxy_wakes_total", "Wakes of a stopped or suspended app begun.", nil, nil)
	descWakeFail = prometheus.NewDesc("hangar_proxy_wake_failures_total", "Wakes that ended without a machine answering.", nil, nil)
	descStops    = prometheus.NewDesc("hangar_proxy_stops_total", "Machines the proxy stopped or suspended, by reason.", []string{"reason"}, nil)
	descQueue    = prometheus.NewDesc("hangar_proxy_queue_depth", "Requests and connections waiting for a machine now.", nil, nil)
	descPhase    = prometheus.NewDesc("hangar_proxy_wake_phase_seconds", "Duration of each wake phase: queued, start, port_open, first_byte.", []string{"phase"}, nil)
	descDNS      = prometheus.NewDesc("hangar_dns_queries_total", "Private DNS queries by zone and outcome.", []string{"zone", "outcome"}, nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRequests, descWakes, descWakeFail, descStops, descQueue, descPhase, descDNS} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	s := c.proxy()
	for code, n := range s.Requests {
		ch <- prometheus.MustNewConstMetric(descRequests, prometheus.CounterValue, float64(n), strconv.Itoa(code))
	}
	ch <- prometheus.MustNewConstMetric(descWakes, prometheus.CounterValue, float64(s.Wakes))
	ch <- prometheus.MustNewConstMetric(descWakeFail, prometheus.CounterValue, float64(s.WakeFailures))
	for reason, n := range s.Stops {
		ch <- prometheus.MustNewConstMetric(descStops, prometheus.CounterValue, float64(n), reason)
	}
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(s.QueueDepth))
	for phase, h := range s.Phases {
		ch <- phaseHistogram(phase, h)
	}
	collectDNS(ch, c.dns())
}

// phaseHistogram turns the proxy's per-bucket counts into Prometheus' cumulative ones.
func phaseHistogram(phase string, h proxy.Histogram) prometheus.Metric {
	buckets := map[float64]uint64{}
	var total uint64
	for i, b := range h.Bounds {
		total += h.Counts[i]
		buckets[b.Seconds()] = total
	}
	return prometheus.MustNewConstHistogram(descPhase, h.Count, h.Sum.Seconds(), buckets, phase)
}

func collectDNS(ch chan<- prometheus.Metric, m dns.Metrics) {
	for zone, z := range map[string]dns.ZoneMetrics{"flycast": m.Flycast, "internal": m.Internal, "other": m.Other} {
		for outcome, n := range map[string]uint64{"answered": z.Answered, "nxdomain": z.NXDomain, "nodata": z.NoData,
			"forwarded": z.Forwarded, "forward_failed": z.ForwardFailed, "refused": z.Refused, "malformed": z.Malformed} {
			ch <- prometheus.MustNewConstMetric(descDNS, prometheus.CounterValue, float64(n), zone, outcome)
		}
	}
}
