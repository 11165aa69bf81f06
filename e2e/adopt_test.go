package e2e

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// agentPID reads the running agent's pid from `hangar agent status`.
func agentPID(t *testing.T, e *env) int {
	out := e.must(e.work, "agent", "status").stdout
	m := regexp.MustCompile(`PID:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no pid in agent status:\n%s", out)
	}
	pid, _ := strconv.Atoi(m[1])
	return pid
}

func killAgent(t *testing.T, e *env) {
	pid := agentPID(t, e)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the agent to die", func() bool { return syscall.Kill(pid, 0) != nil })
}

// waitFor polls cond every 50 ms for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestAdoptionAfterAgentKill: the agent is killed with SIGKILL; the next command starts a
// new one that adopts the running machine, and changes made behind its back show up.
func TestAdoptionAfterAgentKill(t *testing.T) {
	eng := needEngine(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	before := machines(t, e, dir)
	killAgent(t, e)

	after := machines(t, e, dir) // starts a new agent
	if len(after) != 1 || after[0].ID != before[0].ID || after[0].State != "started" {
		t.Fatalf("after restart: %+v, before: %+v", after, before)
	}
	get(t, after[0].PrivateIP)
	cs := containersOf(t, eng, name)
	if len(cs) != 1 {
		t.Fatalf("%d containers after adoption, want 1", len(cs))
	}

	ctx := context.Background()
	eng.StopContainer(ctx, cs[0].ID, "SIGKILL", time.Second)
	waitFor(t, "the outside stop to show", func() bool { return machineByID(t, e, dir, after[0].ID).State != "started" })
	e.must(dir, "machine", "start", after[0].ID)
	eng.RemoveContainer(ctx, cs[0].ID, true)
	waitFor(t, "the outside removal to show", func() bool { return machineByID(t, e, dir, after[0].ID).State == "destroyed" })
}

// TestAgentKilledMidDeploy: SIGKILL while a deploy creates machines loses no record; the
// interrupted release is marked failed and the next deploy finishes cleanly.
func TestAgentKilledMidDeploy(t *testing.T) {
	eng := needEngine(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "[env]\n  NO_LISTEN = '1'")
	e.must(e.work, "agent", "start")
	deploy := exec.Command(hangarBin, "deploy", "--wait-timeout", "60s")
	deploy.Dir, deploy.Env = dir, append(os.Environ(), "HANGAR_HOME="+e.home)
	if err := deploy.Start(); err != nil {
		t.Fatal(err)
	}
	defer deploy.Process.Kill()
	waitFor(t, "the deploy to create a container", func() bool { return len(containersOf(t, eng, name)) > 0 })
	killAgent(t, e)
	deploy.Wait()

	rel := e.must(dir, "releases").stdout // a new agent adopts what the old one left
	if !strings.Contains(rel, "interrupted") {
		t.Errorf("the interrupted release is not marked:\n%s", rel)
	}
	os.WriteFile(dir+"/fly.toml", []byte(strings.Replace(readFile(t, dir+"/fly.toml"), "NO_LISTEN = '1'", "NO_LISTEN = '0'", 1)), 0o644)
	e.must(dir, "deploy", "--wait-timeout", "60s")
	// The interrupted deploy may have left a machine; the new release replaces it
	// rather than adding to it, so 1 or 2 machines, all on the new release and serving.
	ms := machines(t, e, dir)
	if len(ms) == 0 || len(ms) > 2 {
		t.Errorf("after the clean deploy: %+v", ms)
	}
	for _, m := range ms {
		if m.Version != 2 || m.State != "started" {
			t.Errorf("machine not on the new release: %+v", m)
		}
		get(t, m.PrivateIP)
	}
	if n := len(containersOf(t, eng, name)); n != len(ms) {
		t.Errorf("%d containers for %d machines", n, len(ms))
	}
}

func readFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
