package machine_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/internal/enginetest"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/state"
)

// Tests on the real engine. Each test has its own organization (so its own
// network and /48) and app; everything is removed by label when it ends.

var (
	runID     = randomHex(4)
	helloTag  = "hangar-test-machine-" + runID + ":latest"
	helloOnce sync.Once
	helloErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if eng, err := docker.New(); err == nil && helloErr == nil {
		eng.RemoveImage(context.Background(), helloTag)
	}
	os.Exit(code)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// realFixture is a Manager on the real engine with a fresh store, organization and app.
type realFixture struct {
	t     *testing.T
	ctx   context.Context
	eng   *docker.Engine
	mgr   *machine.Manager
	store *state.Store
	app   string
}

func newRealFixture(t *testing.T) *realFixture {
	t.Helper()
	eng := enginetest.Connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	helloOnce.Do(func() { helloErr = testimages.BuildHello(ctx, eng, helloTag) })
	if helloErr != nil {
		t.Fatalf("building the hello image: %v", helloErr)
	}
	store := openStore(t, filepath.Join(t.TempDir(), "state.db"))
	f := &realFixture{t: t, ctx: ctx, eng: eng, store: store, app: "mt-" + randomHex(4)}
	org := "mt" + randomHex(4)
	if _, _, err := store.CreateApp(state.NewApp{Name: f.app, Org: org}, time.Now()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.cleanUp(machine.NetworkName(org, store.InstallationID())) })
	f.mgr = machine.NewManager(eng, store, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	return f
}

// cleanUp removes the test's containers (by its app label) and network, even after a failure.
func (f *realFixture) cleanUp(network string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, _ := f.eng.ListContainers(ctx, map[string]string{"hangar.managed": "true", "hangar.app": f.app})
	for _, c := range list {
		f.eng.RemoveContainer(ctx, c.ID, true)
	}
	if err := f.eng.RemoveNetwork(ctx, network); err != nil && !errors.Is(err, runtime.ErrNotFound) {
		f.t.Errorf("removing network %s: %v", network, err)
	}
}

func (f *realFixture) spec(env map[string]string) machine.Spec {
	return machine.Spec{App: f.app, Group: "app", Region: "iad", Image: helloTag, Version: 1,
		Config: state.MachineConfig{InternalPort: 80, Env: env, StopTimeout: 3 * time.Second}}
}

func (f *realFixture) started(env map[string]string) state.Machine {
	f.t.Helper()
	m, err := f.mgr.Create(f.ctx, f.spec(env))
	if err == nil {
		m, err = f.mgr.Start(f.ctx, f.app, m.ID)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

// get fetches hello's JSON page from a machine's 6PN address.
func get(t *testing.T, m state.Machine) string {
	t.Helper()
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://[%s]:80/?format=json", m.PrivateIP))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func TestEngineMachineLifecycle(t *testing.T) {
	f := newRealFixture(t)
	m := f.started(nil)
	if err := f.mgr.WaitReady(f.ctx, f.app, m.ID, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if body := get(t, m); !strings.Contains(body, m.PrivateIP.String()) {
		t.Errorf("hello answered %s, not from %s", body, m.PrivateIP)
	}
	m, err := f.mgr.Stop(f.ctx, f.app, m.ID, "", 0)
	if err != nil || m.State != state.MachineStopped || m.ExitCode != 0 {
		t.Fatalf("stop = %+v, %v", m, err)
	}
	if m, err = f.mgr.Start(f.ctx, f.app, m.ID); err != nil || m.State != state.MachineStarted {
		t.Fatalf("start again = %+v, %v", m, err)
	}
	if err := f.mgr.WaitReady(f.ctx, f.app, m.ID, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Destroy(f.ctx, f.app, m.ID, false); !errors.Is(err, machine.ErrMachineStarted) {
		t.Errorf("destroy without force = %v", err)
	}
	if err := f.mgr.Destroy(f.ctx, f.app, m.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.InspectContainer(f.ctx, m.ContainerID); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("container after destroy: %v", err)
	}
}

func TestEngineWaitReadyFailures(t *testing.T) {
	f := newRealFixture(t)
	crashed := f.started(map[string]string{"CRASH": "3"})
	var exit *machine.ExitError
	err := f.mgr.WaitReady(f.ctx, f.app, crashed.ID, 30*time.Second)
	if !errors.As(err, &exit) || exit.Code != 3 || !strings.Contains(err.Error(), "hello: crashing with code 3") {
		t.Errorf("WaitReady of a crashing machine = %v", err)
	}
	deaf := f.started(map[string]string{"NO_LISTEN": "1"})
	err = f.mgr.WaitReady(f.ctx, f.app, deaf.ID, 2*time.Second)
	if !errors.Is(err, machine.ErrNotListening) {
		t.Errorf("WaitReady of a machine that never listens = %v", err)
	}
}

func TestEngineReplaceAndEvents(t *testing.T) {
	f := newRealFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() { done <- f.mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	old := f.started(nil)
	next := f.spec(map[string]string{"CRASH": "4", "EXIT_AFTER": "3s"})
	next.Version = 2
	m, err := f.mgr.Replace(f.ctx, f.app, old.ID, next, 30*time.Second)
	if err != nil || m.Version != 2 || m.PrivateIP == old.PrivateIP {
		t.Fatalf("replace = %+v, %v", m, err)
	}
	if _, err := f.eng.InspectContainer(f.ctx, old.ContainerID); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("old container after replace: %v", err)
	}
	// The new container exits 4 three seconds after it started: the die event marks the machine failed.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for m.State != state.MachineFailed {
		select {
		case <-tick.C:
			m, _ = f.store.Machine(f.app, old.ID)
		case <-f.ctx.Done():
			t.Fatalf("machine still %s: %v", m.State, f.ctx.Err())
		}
	}
	if m.ExitCode != 4 || m.LastError != "exited with code 4" {
		t.Errorf("failed machine = %+v", m)
	}
}
