package deploy_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

func TestRollingRedeployReplacesOneAtATime(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	before := f.machines()
	start := len(f.eng.Calls())
	rel := f.mustDeploy(request(t, helloToml, "hello:v2"))
	if rel.Version != 2 || rel.Status != state.ReleaseComplete {
		t.Errorf("release = %+v", rel)
	}
	after := map[string]state.Machine{}
	for _, m := range f.machines() {
		after[m.ID] = m
	}
	var want []string
	for _, old := range before {
		m := after[old.ID]
		if m.Version != 2 || m.Image != "hello:v2" || m.State != state.MachineStarted {
			t.Errorf("machine after redeploy = %+v", m)
		}
		want = append(want, "CreateContainer hangar-web-"+m.ID+"-v2-sandbox", "StartContainer "+m.SandboxID,
			"CreateContainer hangar-web-"+m.ID+"-v2", "StartContainer "+m.ContainerID,
			"StopContainer "+old.ContainerID, "RemoveContainer "+old.ContainerID, "RemoveContainer "+old.SandboxID)
	}
	got := f.callsSince(start, "CreateContainer", "StartContainer", "StopContainer", "RemoveContainer")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("engine calls (-want +got):\n%s", diff)
	}
	wantEvents := []string{
		"info: Updating existing machines in 'web' with rolling strategy",
		"machine: Machine <id> [app] update finished: success",
		"machine: Machine <id> [app] update finished: success",
		"info: Finished deploying. Reach it from your private network at http://web.flycast",
	}
	if diff := cmp.Diff(wantEvents, f.events.lines("info", "machine")[1:]); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func (f *fixture) callsSince(start int, ops ...string) []string {
	all := f.eng.Calls()[start:]
	var out []string
	for _, c := range all {
		for _, op := range ops {
			if strings.HasPrefix(c, op+" ") {
				out = append(out, c)
			}
		}
	}
	return out
}

func TestFailingRedeployKeepsTheOldRelease(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	before := f.machines()
	f.net.Crash("hello:v2", 3, "panic: missing DATABASE_URL\n")
	rel, err := f.deploy(request(t, helloToml, "hello:v2"))
	if !errors.Is(err, machine.ErrMachineExited) || !strings.Contains(err.Error(), "deploying web v2: replacing machine "+before[0].ID) ||
		!strings.Contains(err.Error(), "panic: missing DATABASE_URL") {
		t.Fatalf("deploy = %v", err)
	}
	if rel.Status != state.ReleaseFailed {
		t.Errorf("release = %+v", rel)
	}
	if diff := cmp.Diff(before, f.machines(), equateAddrs, cmpopts.IgnoreFields(state.Machine{}, "UpdatedAt")); diff != "" {
		t.Errorf("machines changed (-before +after):\n%s", diff)
	}
	for _, m := range before {
		if c, _ := f.eng.InspectContainer(bg, m.ContainerID); c.State != runtime.StateRunning {
			t.Errorf("old container %s", c.State)
		}
	}
}

func TestFailureHalfwayRollsReplacedMachinesBack(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	var mu sync.Mutex
	seen := map[string]bool{}
	f.net.Intercept(func(c runtime.Container) error { // the second v2 container dies on start
		mu.Lock()
		defer mu.Unlock()
		if c.Image == "hello:v2" && !seen[c.ID] && len(seen) == 1 {
			f.eng.SetLogs(c.ID, "out of disk\n")
			f.eng.Exit(c.ID, 1)
			return syscall.ECONNREFUSED
		}
		if c.Image == "hello:v2" {
			seen[c.ID] = true
		}
		return nil
	})
	rel, err := f.deploy(request(t, helloToml, "hello:v2"))
	if !errors.Is(err, machine.ErrMachineExited) || rel.Status != state.ReleaseFailed {
		t.Fatalf("deploy = %+v, %v", rel, err)
	}
	for _, m := range f.machines() {
		c, _ := f.eng.InspectContainer(bg, m.ContainerID)
		if m.Version != 1 || m.Image != "hello:v1" || m.State != state.MachineStarted || c.State != runtime.StateRunning {
			t.Errorf("machine after rollback = %+v (container %s)", m, c.State)
		}
	}
	if !strings.Contains(strings.Join(f.events.lines("warn"), "\n"), "back to v1") {
		t.Errorf("no rollback warning in %v", f.events.lines("warn"))
	}
	if list, _ := f.eng.ListContainers(bg, map[string]string{"hangar.release": "2"}); len(list) != 0 {
		t.Errorf("containers of the failed release left: %d", len(list))
	}
}

func TestImmediateStrategyReplacesAllAtOnce(t *testing.T) {
	f := newFixture(t)
	text := helloToml + `
  [[http_service.checks]]
    path = "/healthz"
`
	f.mustDeploy(request(t, text, "hello:v1"))
	var mu sync.Mutex
	inFlight, most := 0, 0
	both := make(chan struct{})
	f.net.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight == 2 {
			close(both)
		}
		mu.Unlock()
		select { // hold each check until the other machine's arrives
		case <-both:
		case <-time.After(2 * time.Second):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	req := request(t, text, "hello:v2")
	req.Strategy, req.WaitTimeout = deploy.StrategyImmediate, 10*time.Second
	f.mustDeploy(req)
	if most != 2 {
		t.Errorf("at most %d machines were replaced at once", most)
	}
	for _, m := range f.machines() {
		if m.Version != 2 {
			t.Errorf("machine = %+v", m)
		}
	}
	if got := f.events.lines("info")[1]; got != "info: Updating existing machines in 'web' with immediate strategy" {
		t.Errorf("strategy line = %q", got)
	}
}

func TestRemovedGroupIsDestroyed(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml+"\n[processes]\n  app = \"/hello\"\n  worker = \"/hello --port 9000\"\n", "hello:v1"))
	f.mustDeploy(request(t, helloToml+"\n[processes]\n  app = \"/hello\"\n", "hello:v1"))
	for _, m := range f.machines() {
		if m.Group != "app" || m.Version != 2 {
			t.Errorf("machine = %+v", m)
		}
	}
}

func TestMachinesOfMachineRunAreLeftAlone(t *testing.T) {
	f := newFixture(t)
	shell, err := f.mgr.Create(bg, machine.Spec{App: "web", Group: "shell", Image: "hello:v1"})
	if err != nil {
		t.Fatal(err)
	}
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	if got, err := f.store.Machine("web", shell.ID); err != nil || got.ContainerID != shell.ContainerID {
		t.Errorf("shell machine after deploy = %+v, %v", got, err)
	}
	if n := len(f.machines()); n != 3 {
		t.Errorf("%d machines, want the shell and two app machines", n)
	}
}

func TestBuildFromDockerfile(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	req := request(t, helloToml, "")
	req.BuildDir = dir
	rel := f.mustDeploy(req)
	if !strings.HasPrefix(rel.Image, "hangar/web:deployment-") {
		t.Errorf("release image = %q", rel.Image)
	}
	builds := f.events.lines("build")
	if len(builds) != 1 || !strings.HasPrefix(builds[0], "build: Successfully built sha256:") {
		t.Errorf("build events = %v", builds)
	}
}
