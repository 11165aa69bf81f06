package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestInitForwardsTheStopSignal: machines run under an init, as on Fly, so an app that as
// PID 1 would ignore SIGINT (busybox httpd installs no handler) gets it with its default
// disposition and dies of it (exit 130), instead of being killed after kill_timeout
// (exit 137); and PID 1 inside the machine is the init, not the app.
func TestInitForwardsTheStopSignal(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	_, dir := launchApp(t, e, images.shell, "[processes]\n  app = 'httpd -f -p 80 -h /'\n")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	id := machines(t, e, dir)[0].ID
	container := appContainer(t, id)
	if comm := dockerCLI(t, "exec", container, "cat", "/proc/1/comm"); !strings.Contains(comm, "init") {
		t.Errorf("PID 1 of the machine is %q, want the engine's init", strings.TrimSpace(comm))
	}
	e.must(dir, "machine", "stop", id)
	if code := strings.TrimSpace(dockerCLI(t, "inspect", "--format", "{{.State.ExitCode}}", container)); code != "130" {
		t.Errorf("the app exited with %s, want 130 (SIGINT): the stop signal did not reach it", code)
	}
}

// appContainer is the ID of the app's own container of machine id (not its sandbox).
func appContainer(t *testing.T, id string) string {
	t.Helper()
	out := dockerCLI(t, "ps", "-a", "--filter", "label=hangar.machine="+id, "--format", `{{.ID}} {{.Label "hangar.role"}}`)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if cid, role, _ := strings.Cut(line, " "); role == "" {
			return cid
		}
	}
	t.Fatalf("machine %s has no container of its own: %q", id, out)
	return ""
}

func dockerCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
