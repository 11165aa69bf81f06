package machine

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels callers match with errors.Is; the wrapping error names the machine.
var (
	// ErrMachineExited: the machine's process ended while WaitReady waited for it (see ExitError).
	ErrMachineExited = errors.New("machine exited")
	// ErrNotListening: the machine runs but nothing accepted connections on its internal port in time.
	ErrNotListening = errors.New("machine not listening")
	// ErrChecksFailing: the machine listens but its HTTP checks did not pass in time.
	ErrChecksFailing = errors.New("machine health checks failing")
	// ErrNotRunning: the machine never reached the running state in time.
	ErrNotRunning = errors.New("machine not running")
	// ErrMachineStarted: Destroy without force on a machine that is not stopped.
	ErrMachineStarted = errors.New("machine is running")
	// ErrNoContainer: the machine's record has no container (yet).
	ErrNoContainer = errors.New("machine has no container")
)

// errStale aborts a record update whose container is no longer the machine's.
var errStale = errors.New("container is no longer the machine's")

// ExitError says that a machine exited before it was ready, with its exit
// code and the last lines it logged. It matches ErrMachineExited.
type ExitError struct {
	Machine   string
	Code      int
	OOM       bool
	Port      int // the internal port it never listened on; 0 without one
	LastLines []string
}

func (e *ExitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "machine %s exited with code %d", e.Machine, e.Code)
	if e.OOM {
		b.WriteString(" (out of memory)")
	}
	if e.Port != 0 {
		fmt.Fprintf(&b, " before it listened on port %d", e.Port)
	}
	if len(e.LastLines) == 0 {
		b.WriteString(" and logged nothing")
		return b.String()
	}
	b.WriteString("; its last log lines:")
	for _, l := range e.LastLines {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

func (e *ExitError) Unwrap() error { return ErrMachineExited }

// userError is a message worded for users that matches a sentinel without repeating its text.
type userError struct {
	msg  string
	kind error
}

func (e *userError) Error() string { return e.msg }
func (e *userError) Unwrap() error { return e.kind }

func userErrorf(kind error, format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...), kind: kind}
}
