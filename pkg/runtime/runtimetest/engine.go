// Package runtimetest provides an in-memory runtime.Engine for unit tests of
// code that drives containers.
package runtimetest

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Engine is an in-memory runtime.Engine. Containers move through the states
// Docker's do and emit the same events; networks and images are plain sets.
// The zero value is not ready: use New.
type Engine struct {
	// Hook, when set, runs first in every method with the method's name (like
	// "StartContainer") and its target (container ID, network name or image
	// reference); an error it returns fails the call.
	Hook func(op, target string) error
	// Now is the engine's clock; time.Now when nil.
	Now func() time.Time
	// ExecFunc, when set, is what Exec runs: it reads the command's stdin from in, writes
	// its output to out and returns its exit code. Without it a command exits 0 at once.
	ExecFunc func(containerID string, cmd []string, in io.Reader, out io.Writer) int
	// VolumeRoot, when set, gives each volume a real directory there as its Mountpoint.
	VolumeRoot string

	mu         sync.Mutex // guards the fields below
	calls      []string
	seq        int                   // last ID handed out
	ports      int                   // loopback ports handed out
	containers map[string]*container // by ID
	networks   map[string]runtime.Network
	volumes    map[string]runtime.Volume
	images     map[string]bool // local references and IDs
	remote     map[string]bool // references PullImage can fetch
	history    []runtime.Event
	subs       []*subscriber
	execs      map[string]*execRecord // by exec ID, made on first use
}

var _ runtime.Engine = (*Engine)(nil)

// New returns an empty engine.
func New() *Engine {
	return &Engine{
		containers: map[string]*container{},
		networks:   map[string]runtime.Network{},
		volumes:    map[string]runtime.Volume{},
		images:     map[string]bool{},
		remote:     map[string]bool{},
	}
}

// begin records a call, runs the hook and takes the lock; the caller unlocks.
func (e *Engine) begin(op, target string) error {
	if e.Hook != nil {
		if err := e.Hook(op, target); err != nil {
			return err
		}
	}
	e.mu.Lock()
	e.calls = append(e.calls, op+" "+target)
	return nil
}

// Calls lists the calls made so far as "Op target", like "StartContainer 3f…".
func (e *Engine) Calls() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.calls)
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// newID returns a 64-digit hex ID, sequential so tests read well.
func (e *Engine) newID() string {
	e.seq++
	return fmt.Sprintf("%064x", e.seq)
}

// Info describes the fake as a Docker 20.10 engine.
func (e *Engine) Info(ctx context.Context) (runtime.Info, error) {
	if err := e.begin("Info", ""); err != nil {
		return runtime.Info{}, err
	}
	defer e.mu.Unlock()
	return runtime.Info{ServerVersion: "20.10.24-fake", APIVersion: "1.41", MaxAPIVersion: "1.41",
		MinAPIVersion: "1.12", OS: "linux", Arch: "amd64", Host: "fake://runtimetest"}, nil
}
