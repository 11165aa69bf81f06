package deploy_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/machine/machinetest"
	"github.com/hangarhq/hangar/pkg/runtime/runtimetest"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

var bg = context.Background()

const helloToml = `app = "web"
primary_region = "ams"

[http_service]
  internal_port = 8080
`

type fixture struct {
	t      *testing.T
	eng    *runtimetest.Engine
	net    *machinetest.Network
	store  *state.Store
	mgr    *machine.Manager
	events *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Check(); err != nil {
			t.Errorf("state after test: %v", err)
		}
		store.Close()
	})
	if _, _, err := store.CreateApp(state.NewApp{Name: "web", PrivateV6: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	eng := runtimetest.New()
	eng.AddImage("hello:v1", "hello:v2")
	net := machinetest.New(t, eng)
	mgr := machine.NewManager(eng, store, slog.New(slog.DiscardHandler), time.Now,
		machine.WithDial(net.Dial), machine.WithPollInterval(time.Millisecond))
	return &fixture{t: t, eng: eng, net: net, store: store, mgr: mgr, events: &recorder{}}
}

func request(t *testing.T, text, image string) deploy.Request {
	t.Helper()
	cfg, err := toml.Parse("fly.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return deploy.Request{App: "web", Config: cfg, ConfigText: text, Image: image, HA: true, WaitTimeout: time.Second}
}

func (f *fixture) deploy(req deploy.Request) (state.Release, error) {
	f.events.reset()
	return deploy.Run(bg, f.mgr, f.eng, f.store, req, f.events.emit)
}

func (f *fixture) mustDeploy(req deploy.Request) state.Release {
	f.t.Helper()
	rel, err := f.deploy(req)
	if err != nil {
		f.t.Fatalf("deploy: %v", err)
	}
	return rel
}

func (f *fixture) machines() []state.Machine {
	f.t.Helper()
	ms, err := f.store.Machines("web")
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

// recorder keeps a deploy's events as "kind: text" lines, machine IDs and addresses masked.
type recorder struct {
	mu     sync.Mutex
	events []deploy.Event
}

func (r *recorder) emit(ev deploy.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}

var (
	machineIDs = regexp.MustCompile(`\b[0-9a-f]{14}\b`)
	addresses  = regexp.MustCompile(`\[fdaa:[0-9a-f:]+\]`)
)

func (r *recorder) lines(kinds ...string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.events {
		if len(kinds) == 0 || slices.Contains(kinds, ev.Kind) {
			text := addresses.ReplaceAllString(machineIDs.ReplaceAllString(ev.Text, "<id>"), "[<6pn>]")
			out = append(out, fmt.Sprintf("%s: %s", ev.Kind, text))
		}
	}
	return out
}

func (r *recorder) all() []deploy.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

var equateAddrs = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
