package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashEnv is pkg/machine.CrashEnv: an agent started with it kills itself with
// SIGKILL at the named point.
const crashEnv = "HANGAR_TEST_CRASH_AT"

// TestCrashAt kills the agent (SIGKILL, by its own hand) at each named point of
// deploy, wake, stop and replace. The next command starts a new agent, which
// must adopt what the dead one left: every container of the app has a live
// machine record and every live record exactly one container, in the state the
// record says; and the next deploy succeeds.
func TestCrashAt(t *testing.T) {
	needEngine(t)
	type scene struct {
		e         *env
		name, dir string
		id        string // the machine of the clean deploy, if any
	}
	deployed := func(s *scene) {
		s.e.must(s.dir, "deploy", "--ha=false", "--wait-timeout", "60s")
		s.id = machines(t, s.e, s.dir)[0].ID
	}
	redeploy := func(s *scene) []string {
		newRelease(t, s.dir)
		return []string{"deploy", "--ha=false", "--wait-timeout", "60s"}
	}
	firstDeploy := func(s *scene) []string { return []string{"deploy", "--ha=false", "--wait-timeout", "60s"} }
	stopped := func(s *scene) { deployed(s); s.e.must(s.dir, "machine", "stop", s.id) }
	start := func(s *scene) []string { return []string{"machine", "start", s.id} }
	stop := func(s *scene) []string { return []string{"machine", "stop", s.id} }
	tests := []struct {
		point string
		setup func(*scene)          // with a well-behaved agent
		crash func(*scene) []string // the command whose agent dies
		after string                // the machines' state after the next deploy
	}{
		{"deploy:after-release-created", func(*scene) {}, firstDeploy, "started"},
		{"sandbox:after-created", func(*scene) {}, firstDeploy, "started"}, // a sandbox no record names
		{"deploy:after-container-created", func(*scene) {}, firstDeploy, "started"},
		{"deploy:after-machine-recorded", func(*scene) {}, firstDeploy, "started"}, // it never ran: the deploy runs it
		{"deploy:after-start", func(*scene) {}, firstDeploy, "started"},
		{"deploy:before-finish", func(*scene) {}, firstDeploy, "started"},
		{"replace:after-new-container", deployed, redeploy, "started"},
		{"wake:after-start-requested", stopped, start, "started"},
		{"wake:after-started-recorded", stopped, start, "started"},
		{"stop:after-stop-requested", deployed, stop, "started"}, // the engine never heard of the stop
		{"stop:before-recorded", deployed, stop, "stopped"},      // a deploy keeps a stopped machine stopped
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.point, ":", "_"), func(t *testing.T) {
			e := newEnv(t)
			s := &scene{e: e}
			s.name, s.dir = launchApp(t, e, images.hello, "")
			tt.setup(s)
			crashAgentAt(t, e, s.dir, tt.point, tt.crash(s))
			checkAdopted(t, e, s.dir, s.name)
			e.must(s.dir, "deploy", "--ha=false", "--wait-timeout", "60s")
			checkAdopted(t, e, s.dir, s.name)
			live := 0
			for _, m := range machines(t, e, s.dir) {
				if m.State != "destroyed" {
					live++
				}
				if m.State != "destroyed" && m.State != tt.after {
					t.Errorf("after the next deploy: machine %s is %s, want %s", m.ID, m.State, tt.after)
				}
			}
			if live != 1 {
				t.Errorf("%d machines after the next deploy, want 1", live)
			}
		})
	}
}

// crashAgentAt restarts the agent with the crash point set, runs args, and
// checks the agent died there; later commands start agents without it.
func crashAgentAt(t *testing.T, e *env, dir, point string, args []string) {
	t.Helper()
	e.must(e.work, "agent", "stop")
	e.extraEnv = []string{crashEnv + "=" + point}
	e.must(e.work, "agent", "start")
	pid := agentPID(t, e)
	e.extraEnv = nil
	if r := e.run(dir, args...); r.err == nil {
		t.Errorf("hangar %s succeeded though its agent was to die at %s", strings.Join(args, " "), point)
	}
	waitFor(t, "the agent to die at "+point, func() bool { return syscall.Kill(pid, 0) != nil })
}

// checkAdopted waits until the app's live machine records and its containers
// (docker ps -a, by label) match one to one, started records to running
// containers, and fails with the last difference if they never do.
func checkAdopted(t *testing.T, e *env, dir, app string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for diff := adoptionDiff(t, e, dir, app); diff != ""; diff = adoptionDiff(t, e, dir, app) {
		if time.Now().After(deadline) {
			t.Fatalf("records and containers still disagree after 20 s: %s", diff)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func adoptionDiff(t *testing.T, e *env, dir, app string) string {
	records := map[string]string{}
	for _, m := range machines(t, e, dir) {
		if m.State != "destroyed" {
			records[m.ID] = m.State
		}
	}
	out := dockerCLI(t, "ps", "-a", "--filter", "label=hangar.app="+app, "--format", `{{.Label "hangar.machine"}} {{.State}} {{.Label "hangar.role"}}`)
	containers, sandboxes := map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 2:
			containers[f[0]] = append(containers[f[0]], f[1])
		case len(f) == 3:
			sandboxes[f[0]] = append(sandboxes[f[0]], f[1])
		}
	}
	var diffs []string
	for id, st := range records {
		cs, sbs := containers[id], sandboxes[id]
		switch {
		case len(cs) != 1:
			diffs = append(diffs, fmt.Sprintf("machine %s (%s) has %d containers %v", id, st, len(cs), cs))
		case (st == "started") != (cs[0] == "running"):
			diffs = append(diffs, fmt.Sprintf("machine %s is %s, its container %s", id, st, cs[0]))
		case len(sbs) != 1 || sbs[0] != "running":
			diffs = append(diffs, fmt.Sprintf("machine %s (%s) has sandboxes %v, want one running", id, st, sbs))
		}
	}
	for id, sbs := range sandboxes {
		if _, ok := records[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("sandboxes %v of machine %q have no live record", sbs, id))
		}
	}
	for id, cs := range containers {
		if _, ok := records[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("containers %v of machine %q have no live record", cs, id))
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "; ")
}

// newRelease changes the app's fly.toml so the next deploy replaces its machines.
func newRelease(t *testing.T, dir string) {
	path := filepath.Join(dir, "fly.toml")
	text := readFile(t, path) + fmt.Sprintf("\n[env]\n  RELEASE = '%d'\n", os.Getpid())
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
