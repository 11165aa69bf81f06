package proxy

// machinePhase is where a machine is in its life as the proxy sees it. The
// proxy's own transitions (a wake, a stop) own the machine while they run:
// what the daemon lists meanwhile is ignored, and each ends with what the
// proxy saw.
type machinePhase uint8

const (
	// phaseDown: not running as far as the proxy knows; known says what the
	// daemon listed (stopped, suspended, failed, starting, stopping), or ""
	// when nobody knows.
	phaseDown machinePhase = iota
	// phaseTrusted: the daemon listed it started while the proxy saw it down
	// (a deploy or the CLI started it, or the proxy just met it): every port
	// counts as reachable.
	phaseTrusted
	// phaseUnverified: started, but only the ports in ready count, those the
	// proxy reached since it started the machine; none after a failed wake
	// or dial, so the next request dials it again before it is leased.
	phaseUnverified
	// phaseWaking: the proxy's wake of it is in flight. A wake that starts it
	// (wake.start) began with no port reached; one that dials another port of
	// a started machine keeps serving the ports already reached.
	phaseWaking
	// phaseStopping: the proxy's stop of it is in flight. Nothing is leased
	// to it and it is not woken: a request that has no other machine waits
	// for the stop's end (app.endStop tells it) and looks again, so it never
	// waits on a wake parked behind a stop while another machine's stop ends
	// first.
	phaseStopping
)

var machinePhaseNames = [...]string{"down", "trusted", "unverified", "waking", "stopping"}

func (p machinePhase) String() string { return machinePhaseNames[p] }

// machineState is a machine's lifecycle as the proxy sees it: its phase and
// the data that phase needs. Only the transitions below write it, all with
// app.mu held; the rest of the package reads it through the queries.
type machineState struct {
	phase   machinePhase
	known   MachineState    // phaseDown, and phaseWaking when the wake starts it
	ready   map[uint16]bool // phaseUnverified, phaseWaking: ports reached
	woke    *wake           // phaseUnverified, phaseWaking: the wake that started it, for its first byte
	wake    *wake           // phaseWaking: the proxy's wake in flight
	stopped chan struct{}   // phaseStopping: names the stop in flight (a late end of an older one is ignored); closed when it ends
}

// listed applies what the daemon's list says. While the proxy wakes or stops
// the machine the list is ignored: it may predate the transition. A machine
// listed started that was down is trusted on every port; one the proxy
// already saw started keeps only what it verified, so a machine whose wake or
// dial failed is dialed again before it is trusted. Anything else puts it
// down with its ports dropped. started reports that it just came up, so its
// idle timer arms.
func (s *machineState) listed(state MachineState) (started bool) {
	switch {
	case s.phase == phaseWaking || s.phase == phaseStopping:
		return false
	case state != StateStarted:
		*s = machineState{phase: phaseDown, known: state}
		return false
	case s.phase == phaseDown:
		*s = machineState{phase: phaseTrusted}
		return true
	}
	return false
}

// unlisted is the daemon no longer listing the machine: it goes down, state
// unknown, and true says to forget it. While the proxy wakes or stops it,
// it is kept (false) until that ends.
func (s *machineState) unlisted() bool {
	if s.phase == phaseWaking || s.phase == phaseStopping {
		return false
	}
	*s = machineState{phase: phaseDown}
	return true
}

// wakeBegan records the proxy's wake w of the machine. A machine still
// unverified keeps the ports it serves while another is dialed; any other
// drops them (a trusted one is never woken: it serves every port). A machine
// has one wake at a time, and one being stopped none (app.wakeFor waits for
// the stop instead): those wakes are ignored.
func (s *machineState) wakeBegan(w *wake) {
	switch {
	case s.wake != nil, s.phase == phaseStopping:
		return
	case s.phase != phaseUnverified:
		s.ready, s.woke = nil, nil
	}
	s.phase, s.wake = phaseWaking, w
}

// wakeEnded records how the wake w ended; a wake that is not the machine's is
// ignored. The machine runs, unverified: on success w's port joins the ports
// reached and w is what started it; on failure no port counts, whatever the
// list says next, so it is dialed again before anything is leased to it.
func (s *machineState) wakeEnded(w *wake, err error) {
	if w == nil || s.wake != w {
		return
	}
	s.phase, s.wake, s.known = phaseUnverified, nil, ""
	if err != nil {
		s.ready, s.woke = nil, nil
		return
	}
	if s.ready == nil {
		s.ready = map[uint16]bool{}
	}
	s.ready[w.port], s.woke = true, w
}

// stopBegan records the proxy's stop of the machine; done is closed when it
// ends. Only a running machine nothing is waking is stopped (see
// app.idle); in another phase it is ignored. Its ports are dropped: nothing
// is leased to it from here.
func (s *machineState) stopBegan(done chan struct{}) {
	if s.phase != phaseTrusted && s.phase != phaseUnverified {
		return
	}
	*s = machineState{phase: phaseStopping, stopped: done}
}

// stopEnded records how the stop that closes done ended: the machine is
// suspended or stopped, or, after an error, down in a state the next list
// tells; either way it may be woken again. Another stop is ignored.
func (s *machineState) stopEnded(done chan struct{}, suspend bool, err error) {
	if s.phase != phaseStopping || s.stopped != done {
		return
	}
	state := StateStopped
	switch {
	case err != nil:
		state = ""
	case suspend:
		state = StateSuspended
	}
	*s = machineState{phase: phaseDown, known: state}
}

// suspected records a failed dial to the machine: trust and the ports
// reached are dropped, so the next request dials it again before anything
// else is leased to it.
func (s *machineState) suspected() {
	switch s.phase {
	case phaseTrusted:
		*s = machineState{phase: phaseUnverified}
	case phaseUnverified, phaseWaking:
		s.ready = nil
	}
}

// reachable reports whether a request for port may be leased to the machine.
func (s *machineState) reachable(port uint16) bool {
	switch s.phase {
	case phaseTrusted:
		return true
	case phaseUnverified, phaseWaking:
		return s.ready[port]
	}
	return false
}

// started reports whether the machine runs and nothing is waking or stopping
// it: a wake of it only dials, and an idle one may be stopped.
func (s *machineState) started() bool {
	return s.phase == phaseTrusted || s.phase == phaseUnverified
}

// running reports whether the machine runs and is not being stopped; it
// counts toward MinRunning.
func (s *machineState) running() bool {
	return s.started() || s.phase == phaseWaking && !s.wake.start
}

// beingWoken reports whether a wake of the machine is in flight.
func (s *machineState) beingWoken() bool { return s.wake != nil }

// stopping reports whether the proxy's stop of the machine is in flight.
func (s *machineState) stopping() bool { return s.phase == phaseStopping }

// startedBy is the wake that started the machine, for its first byte.
func (s *machineState) startedBy() *wake { return s.woke }

// wakeRank orders machines by how soon they can serve: running but not yet
// dialed on this port, then suspended (an unpause), stopped, cold (its network
// set up again first), starting or unknown; after them those being stopped, which serve only once the stop
// ended, whoever stops them: first the daemon's (the CLI's), which the
// daemon finishes before it runs the Start, then the proxy's, which the
// waiters wait for before any wake begins; last the failed ones.
func (s *machineState) wakeRank() int {
	switch {
	case s.phase == phaseStopping:
		return 6
	case s.started():
		return 0
	case s.known == StateSuspended:
		return 1
	case s.known == StateStopped:
		return 2
	case s.known == StateCold:
		return 3
	case s.known == StateStopping:
		return 5
	case s.known == StateFailed:
		return 7
	}
	return 4 // starting, or unknown
}

// state is the machine's state as the proxy believes it, for tests.
func (s *machineState) state() MachineState {
	switch {
	case s.running():
		return StateStarted
	case s.phase == phaseStopping:
		return StateStopping
	}
	return s.known
}
