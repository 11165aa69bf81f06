package proxy

import (
	"sync/atomic"
	"time"
)

// Phases of a wake, each timed on its own (not cumulative).
const (
	PhaseQueued    = "queued"     // wake begun → Start called (waiting out a stop in flight)
	PhaseStart     = "start"      // Start called → Start returned
	PhasePortOpen  = "port_open"  // Start returned → the proxy's dial connected
	PhaseFirstByte = "first_byte" // port open → first response byte from the machine
)

var phaseNames = [...]string{PhaseQueued, PhaseStart, PhasePortOpen, PhaseFirstByte}

const (
	phaseQueued = iota
	phaseStart
	phasePortOpen
	phaseFirstByte
)

// Reasons a machine was stopped, the keys of Snapshot.Stops.
const (
	StopIdle    = "idle"    // auto_stop_machines = "stop"
	StopSuspend = "suspend" // auto_stop_machines = "suspend"
)

// bucketBounds are the upper bounds of every histogram, from a warm dial to
// the default wake timeout.
var bucketBounds = [...]time.Duration{
	100 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond,
	10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second,
	30 * time.Second, 60 * time.Second,
}

// metrics are the proxy's counters, updated without locks.
type metrics struct {
	status       [600]atomic.Uint64 // requests by status code
	wakes        atomic.Uint64
	wakeFailures atomic.Uint64
	stops        [2]atomic.Uint64 // idle, suspend
	queue        atomic.Int64     // requests waiting for a machine, all apps
	phases       [len(phaseNames)]histogram
}

func (m *metrics) request(status int) {
	if status > 0 && status < len(m.status) {
		m.status[status].Add(1)
	}
}

func (m *metrics) stop(suspend bool) {
	if suspend {
		m.stops[1].Add(1)
	} else {
		m.stops[0].Add(1)
	}
}

// histogram counts durations into the fixed bucketBounds.
type histogram struct {
	counts [len(bucketBounds) + 1]atomic.Uint64 // one per bound, then +Inf
	sum    atomic.Int64                         // nanoseconds
}

func (h *histogram) observe(d time.Duration) {
	i := 0
	for i < len(bucketBounds) && d > bucketBounds[i] {
		i++
	}
	h.counts[i].Add(1)
	h.sum.Add(int64(d))
}

// Snapshot is a copy of the proxy's metrics for an exporter.
type Snapshot struct {
	Requests     map[int]uint64 // by HTTP status; 499: the client left first
	Wakes        uint64         // wakes begun
	WakeFailures uint64
	Stops        map[string]uint64 // by StopIdle, StopSuspend
	QueueDepth   int64             // requests and connections waiting now
	Phases       map[string]Histogram
}

// Histogram is one phase's durations. Counts[i] counts durations up to
// Bounds[i] and above Bounds[i-1] (not cumulative); the last entry counts
// those above every bound.
type Histogram struct {
	Bounds []time.Duration
	Counts []uint64
	Count  uint64
	Sum    time.Duration
}

func (m *metrics) snapshot() Snapshot {
	s := Snapshot{Requests: map[int]uint64{}, Wakes: m.wakes.Load(),
		WakeFailures: m.wakeFailures.Load(), QueueDepth: m.queue.Load(),
		Stops:  map[string]uint64{StopIdle: m.stops[0].Load(), StopSuspend: m.stops[1].Load()},
		Phases: map[string]Histogram{}}
	for code := range m.status {
		if n := m.status[code].Load(); n > 0 {
			s.Requests[code] = n
		}
	}
	for i, name := range phaseNames {
		s.Phases[name] = m.phases[i].snapshot()
	}
	return s
}

func (h *histogram) snapshot() Histogram {
	out := Histogram{Bounds: append([]time.Duration(nil), bucketBounds[:]...),
		Counts: make([]uint64, len(h.counts)), Sum: time.Duration(h.sum.Load())}
	for i := range h.counts {
		out.Counts[i] = h.counts[i].Load()
		out.Count += out.Counts[i]
	}
	return out
}
