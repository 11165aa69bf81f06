package machine_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/machine/machinetest"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/runtimetest"
	"github.com/hangarhq/hangar/pkg/state"
)

var (
	t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	bg = context.Background()
)

// fixture is a Manager over a fake engine and network and a real store with one app, "web".
type fixture struct {
	t     *testing.T
	eng   *stopRecorder
	net   *machinetest.Network
	store *state.Store
	mgr   *machine.Manager
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store := openStore(t, filepath.Join(t.TempDir(), "state.db"))
	if _, _, err := store.CreateApp(state.NewApp{Name: "web", PrivateV6: true}, t0); err != nil {
		t.Fatal(err)
	}
	eng := &stopRecorder{Engine: runtimetest.New()}
	eng.AddImage("hello:v1", "hello:v2")
	f := &fixture{t: t, eng: eng, net: machinetest.New(t, eng.Engine), store: store}
	f.mgr = f.manager(t0)
	return f
}

// manager returns a new Manager over the fixture, as an agent started at now would have.
func (f *fixture) manager(now time.Time, opts ...machine.Option) *machine.Manager {
	opts = append([]machine.Option{machine.WithDial(f.net.Dial), machine.WithPollInterval(time.Millisecond),
		machine.WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	return machine.NewManager(f.eng, f.store, slog.New(slog.DiscardHandler), func() time.Time { return now }, opts...)
}

func openStore(t *testing.T, path string) *state.Store {
	t.Helper()
	s, err := state.Open(path, state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("state after test: %v", err)
		}
		s.Close()
	})
	return s
}

func spec(image string, version int) machine.Spec {
	return machine.Spec{App: "web", Group: "app", Region: "iad", Image: image, Version: version,
		Config: state.MachineConfig{InternalPort: 8080}}
}

// started creates and starts a machine of spec.
func (f *fixture) started(s machine.Spec) state.Machine {
	f.t.Helper()
	m, err := f.mgr.Create(bg, s)
	if err != nil {
		f.t.Fatal(err)
	}
	if m, err = f.mgr.Start(bg, "web", m.ID); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) machine(id string) state.Machine {
	f.t.Helper()
	m, err := f.store.Machine("web", id)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) container(id string) runtime.Container {
	f.t.Helper()
	c, err := f.eng.InspectContainer(bg, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// calls lists the engine calls of the given operations, in order.
func (f *fixture) calls(ops ...string) []string {
	var out []string
	for _, c := range f.eng.Calls() {
		if slices.Contains(ops, strings.Fields(c)[0]) {
			out = append(out, c)
		}
	}
	return out
}

// eventually polls cond until it holds or five seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// stopRecorder records the signal and timeout of each stop, and can make
// stops end with a non-zero exit code, as apps that exit 130 on SIGINT do.
type stopRecorder struct {
	*runtimetest.Engine
	mu       sync.Mutex
	stops    []string
	exitCode int
}

func (e *stopRecorder) StopContainer(ctx context.Context, id, signal string, timeout time.Duration) error {
	e.mu.Lock()
	e.stops = append(e.stops, signal+" "+timeout.String())
	code := e.exitCode
	e.mu.Unlock()
	if c, err := e.InspectContainer(ctx, id); code != 0 && err == nil && c.State == runtime.StateRunning {
		return e.Exit(id, code)
	}
	return e.Engine.StopContainer(ctx, id, signal, timeout)
}

func (e *stopRecorder) lastStop() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.stops) == 0 {
		return ""
	}
	return e.stops[len(e.stops)-1]
}
