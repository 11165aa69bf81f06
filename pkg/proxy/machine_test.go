package proxy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Fixtures of the transition table: w0 started an unverified machine, w1 is the
// wake in flight in the phases that have one, w2 the wake that begins; d1 is the
// stop in flight, d2 the stop that begins.
var (
	w0     = &wake{port: 80}
	d1, d2 = make(chan struct{}), make(chan struct{})
)

// machineEvents are the transitions, in the columns of TestMachineTransitions.
var machineEvents = []struct {
	name string
	do   func(s *machineState, w1 *wake)
}{
	{"listed started", func(s *machineState, _ *wake) { s.listed(StateStarted) }},
	{"listed stopped", func(s *machineState, _ *wake) { s.listed(StateStopped) }},
	{"unlisted", func(s *machineState, _ *wake) { s.unlisted() }},
	{"wake began", func(s *machineState, _ *wake) {
		s.wakeBegan(&wake{port: 8080, start: !s.started()})
	}},
	{"wake ended", func(s *machineState, w1 *wake) { s.wakeEnded(w1, nil) }},
	{"wake failed", func(s *machineState, w1 *wake) { s.wakeEnded(w1, errors.New("boom")) }},
	{"stop began", func(s *machineState, _ *wake) { s.stopBegan(d2) }},
	{"stop ended", func(s *machineState, _ *wake) { s.stopEnded(d1, true, nil) }},
	{"stop failed", func(s *machineState, _ *wake) { s.stopEnded(d1, false, errors.New("boom")) }},
	{"suspected", func(s *machineState, _ *wake) { s.suspected() }},
}

// TestMachineTransitions applies every event to a machine in every phase: each
// row is a phase, each column what machineEvents' event of that index leaves.
func TestMachineTransitions(t *testing.T) {
	down := func() (machineState, *wake) {
		return machineState{phase: phaseDown, known: StateStopped}, &wake{port: 8080, start: true}
	}
	unverified := func() (machineState, *wake) {
		return machineState{phase: phaseUnverified, ready: map[uint16]bool{80: true}, woke: w0}, &wake{port: 8080}
	}
	tests := []struct {
		from string
		make func() (machineState, *wake)
		want [10]string
	}{
		{"down", down, [...]string{
			"trusted", "down stopped", "down", "waking w2 stopped", "down stopped",
			"down stopped", "down stopped", "down stopped", "down stopped", "down stopped"}},
		{"trusted", func() (machineState, *wake) { return machineState{phase: phaseTrusted}, &wake{port: 8080} },
			[...]string{
				"trusted", "down stopped", "down", "waking w2", "trusted",
				"trusted", "stopping d2", "trusted", "trusted", "unverified"}},
		{"unverified", unverified, [...]string{
			"unverified [80] w0", "down stopped", "down", "waking w2 [80] w0", "unverified [80] w0",
			"unverified [80] w0", "stopping d2", "unverified [80] w0", "unverified [80] w0", "unverified w0"}},
		{"waking to start", func() (machineState, *wake) {
			s, w1 := down()
			s.wakeBegan(w1)
			return s, w1
		}, [...]string{
			"waking w1 stopped", "waking w1 stopped", "waking w1 stopped", "waking w1 stopped", "unverified [8080] w1",
			"unverified", "waking w1 stopped", "waking w1 stopped", "waking w1 stopped", "waking w1 stopped"}},
		{"waking to dial", func() (machineState, *wake) {
			s, w1 := unverified()
			s.wakeBegan(w1)
			return s, w1
		}, [...]string{
			"waking w1 [80] w0", "waking w1 [80] w0", "waking w1 [80] w0", "waking w1 [80] w0", "unverified [80 8080] w1",
			"unverified", "waking w1 [80] w0", "waking w1 [80] w0", "waking w1 [80] w0", "waking w1 w0"}},
		{"stopping", func() (machineState, *wake) {
			return machineState{phase: phaseStopping, stopped: d1}, &wake{port: 8080, start: true}
		}, [...]string{
			"stopping d1", "stopping d1", "stopping d1", "stopping d1", "stopping d1",
			"stopping d1", "stopping d1", "down suspended", "down", "stopping d1"}},
	}
	for _, tt := range tests {
		for i, ev := range machineEvents {
			t.Run(tt.from+"/"+ev.name, func(t *testing.T) {
				s, w1 := tt.make()
				ev.do(&s, w1)
				if got := describe(s, w1); got != tt.want[i] {
					t.Errorf("%s, then %s: %q, want %q", tt.from, ev.name, got, tt.want[i])
				}
			})
		}
	}
}

// describe writes a machine's state as the transition table shows it: the phase,
// then what it keeps (known state, ports reached, wake and stop by name).
func describe(s machineState, w1 *wake) string {
	parts := []string{s.phase.String()}
	if s.wake != nil {
		parts = append(parts, wakeName(s.wake, w1))
	}
	if s.known != "" {
		parts = append(parts, string(s.known))
	}
	if len(s.ready) > 0 {
		var ports []uint16
		for p := range s.ready {
			ports = append(ports, p)
		}
		slices.Sort(ports)
		parts = append(parts, fmt.Sprint(ports))
	}
	if s.woke != nil {
		parts = append(parts, wakeName(s.woke, w1))
	}
	switch s.stopped {
	case nil:
	case d1:
		parts = append(parts, "d1")
	case d2:
		parts = append(parts, "d2")
	}
	return strings.Join(parts, " ")
}

func wakeName(w, w1 *wake) string {
	switch w {
	case w0:
		return "w0"
	case w1:
		return "w1"
	}
	return "w2"
}

// TestMachineQueries holds what each phase answers: which ports it serves, whether
// it runs (and counts toward MinRunning), may be stopped, and is a wake candidate.
func TestMachineQueries(t *testing.T) {
	tests := []struct {
		name                    string
		s                       machineState
		serves80, serves8080    bool
		started, running, woken bool
		state                   MachineState
	}{
		{"down", machineState{phase: phaseDown, known: StateSuspended}, false, false, false, false, false, StateSuspended},
		{"trusted", machineState{phase: phaseTrusted}, true, true, true, true, false, StateStarted},
		{"unverified", machineState{phase: phaseUnverified, ready: map[uint16]bool{80: true}}, true, false, true, true, false, StateStarted},
		{"waking to start", machineState{phase: phaseWaking, known: StateStopped, wake: &wake{start: true}}, false, false, false, false, true, StateStopped},
		{"waking to dial", machineState{phase: phaseWaking, ready: map[uint16]bool{80: true}, wake: &wake{}}, true, false, false, true, true, StateStarted},
		{"stopping", machineState{phase: phaseStopping, stopped: d1}, false, false, false, false, false, StateStopping},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			got := []any{s.reachable(80), s.reachable(8080), s.started(), s.running(), s.beingWoken(), s.state()}
			want := []any{tt.serves80, tt.serves8080, tt.started, tt.running, tt.woken, tt.state}
			if !slices.Equal(got, want) {
				t.Errorf("reachable 80, 8080, started, running, being woken, state: %v, want %v", got, want)
			}
		})
	}
}
