package dns

import (
	"sync/atomic"
	"time"
)

// outcome is how a query was answered.
type outcome uint8

const (
	outcomeAnswered outcome = iota
	outcomeNXDomain
	outcomeNoData
	outcomeForwarded
	outcomeForwardFailed
	outcomeRefused
	outcomeMalformed
	numOutcomes
)

// Metrics is a snapshot of the handler's counters, per zone.
type Metrics struct {
	Flycast  ZoneMetrics // <app>.flycast
	Internal ZoneMetrics // *.internal
	Other    ZoneMetrics // forwarded names, and malformed queries
}

// ZoneMetrics counts the queries of one zone by outcome.
type ZoneMetrics struct {
	Answered      uint64 // NOERROR with records
	NXDomain      uint64 // the name does not exist
	NoData        uint64 // the name exists without records of the asked type
	Forwarded     uint64 // an upstream's reply was relayed
	ForwardFailed uint64 // every upstream failed: SERVFAIL
	Refused       uint64 // unknown caller, other class, no forwarder, or too many in flight
	Malformed     uint64 // FORMERR or NOTIMP
	// Latency is the summed time from receiving a query to writing its
	// reply; divide by Queries for the mean.
	Latency time.Duration
}

// Queries is the number of queries counted.
func (z ZoneMetrics) Queries() uint64 {
	return z.Answered + z.NXDomain + z.NoData + z.Forwarded + z.ForwardFailed + z.Refused + z.Malformed
}

// metrics are the live counters behind Metrics.
type metrics struct {
	counts  [numZones][numOutcomes]atomic.Uint64
	latency [numZones]atomic.Int64 // nanoseconds
}

func (m *metrics) add(z zone, o outcome, d time.Duration) {
	m.counts[z][o].Add(1)
	m.latency[z].Add(int64(d))
}

func (m *metrics) zone(z zone) ZoneMetrics {
	c := &m.counts[z]
	return ZoneMetrics{
		Answered: c[outcomeAnswered].Load(), NXDomain: c[outcomeNXDomain].Load(),
		NoData: c[outcomeNoData].Load(), Forwarded: c[outcomeForwarded].Load(),
		ForwardFailed: c[outcomeForwardFailed].Load(), Refused: c[outcomeRefused].Load(),
		Malformed: c[outcomeMalformed].Load(), Latency: time.Duration(m.latency[z].Load()),
	}
}

// Metrics returns a snapshot of the handler's counters.
func (h *Handler) Metrics() Metrics {
	return Metrics{
		Flycast:  h.metrics.zone(zoneFlycast),
		Internal: h.metrics.zone(zoneInternal),
		Other:    h.metrics.zone(zoneOther),
	}
}
