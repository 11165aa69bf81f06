package machine_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
)

// specRecorder keeps every container spec created through it.
type specRecorder struct {
	runtime.Engine
	mu    sync.Mutex
	specs []runtime.ContainerSpec
}

func (r *specRecorder) CreateContainer(ctx context.Context, spec runtime.ContainerSpec) (string, error) {
	r.mu.Lock()
	r.specs = append(r.specs, spec)
	r.mu.Unlock()
	return r.Engine.CreateContainer(ctx, spec)
}

func TestSecretsReachOnlyTheAppContainer(t *testing.T) {
	f := newFixture(t)
	rec := &specRecorder{Engine: f.eng}
	digest := "0123456789abcdef"
	secrets := func(app string) (machine.Secrets, error) {
		return machine.Secrets{Env: map[string]string{"DB_PASSWORD": "hunter2", "MODE": "secret"},
			Digests: map[string]string{"DB_PASSWORD": digest, "MODE": "fedcba9876543210"}}, nil
	}
	mgr := machine.NewManager(rec, f.store, slog.New(slog.DiscardHandler), func() time.Time { return t0 },
		machine.WithDial(f.net.Dial), machine.WithSecrets(secrets))
	s := spec("hello:v1", 1)
	s.Config.Env = map[string]string{"MODE": "env"}
	mc, err := mgr.Create(bg, s)
	if err != nil {
		t.Fatal(err)
	}
	if mc.Secrets["DB_PASSWORD"] != digest {
		t.Errorf("the record keeps digests %v, want the container's", mc.Secrets)
	}
	if len(rec.specs) != 2 {
		t.Fatalf("created %d containers, want a sandbox and the app's", len(rec.specs))
	}
	sandbox, app := rec.specs[0], rec.specs[1]
	if _, ok := sandbox.Env["DB_PASSWORD"]; ok {
		t.Error("the sandbox got the secret")
	}
	if app.Env["DB_PASSWORD"] != "hunter2" || app.Env["MODE"] != "secret" || app.Env["FLY_APP_NAME"] != "web" {
		t.Errorf("app container env = %v: want the secret, overriding [env], beside Fly's variables", app.Env)
	}
	ms, _ := f.store.Machines("web")
	for _, m := range ms {
		if _, ok := m.Config.Env["DB_PASSWORD"]; ok {
			t.Error("the machine record holds the secret")
		}
	}
}

func TestUnreadableSecretsCreateNothing(t *testing.T) {
	f := newFixture(t)
	fail := func(string) (machine.Secrets, error) { return machine.Secrets{}, errors.New("key file unreadable") }
	mgr := f.manager(t0, machine.WithSecrets(fail))
	if _, err := mgr.Create(bg, spec("hello:v1", 1)); err == nil {
		t.Fatal("Create succeeded without the secrets")
	}
	cs, _ := f.eng.ListContainers(bg, nil)
	if len(cs) != 0 {
		t.Fatalf("%d containers left behind", len(cs))
	}
}

// TestTheRecordKeepsTheDigestsOfTheContainerItRuns: a replacement's digests become the
// machine's when it is committed, and a container made without secrets records none.
func TestTheRecordKeepsTheDigestsOfTheContainerItRuns(t *testing.T) {
	f := newFixture(t)
	digests := map[string]string{}
	secrets := func(string) (machine.Secrets, error) { return machine.Secrets{Digests: maps.Clone(digests)}, nil }
	mgr := f.manager(t0, machine.WithSecrets(secrets))
	mc, err := mgr.Create(bg, spec("hello:v1", 1))
	if err != nil || mc.Secrets == nil || len(mc.Secrets) != 0 {
		t.Fatalf("created without secrets: %v %v, want an empty set", mc.Secrets, err)
	}
	digests["DB"] = "0123456789abcdef"
	if mc, err = mgr.Replace(bg, "web", mc.ID, spec("hello:v2", 2), time.Second); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.Machine("web", mc.ID)
	if d := cmp.Diff(digests, got.Secrets); d != "" || got.Pending != nil {
		t.Errorf("after the replace (-want +got):\n%s", d)
	}
}
