package e2e

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSSHConsole: -C runs one command in the app container (the exit code is hangar's,
// the output its stdout), waking a stopped machine first.
func TestSSHConsole(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	_, dir := launchApp(t, e, images.shell, "[processes]\n  app = 'httpd -f -p 80 -h /'\n")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	if r := e.must(dir, "ssh", "console", "-C", "echo hi"); r.stdout != "hi\n" {
		t.Errorf("ssh console -C 'echo hi': stdout %q, want \"hi\\n\"", r.stdout)
	}
	r := e.run(dir, "ssh", "console", "-C", "exit 3")
	var exit *exec.ExitError
	if !errors.As(r.err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("ssh console -C 'exit 3': want exit code 3, got %v", r)
	}
	id := machines(t, e, dir)[0].ID
	e.must(dir, "machine", "stop", id)
	if r := e.must(dir, "ssh", "console", "-C", "cat /proc/1/cmdline | tr '\\0' ' '"); !strings.Contains(r.stdout, "httpd") {
		t.Errorf("ssh console in a stopped machine: want its app container woken, got %v", r)
	}
}

// TestReleaseCommandFailureKeepsRelease: a failing release_command fails the deploy with
// its exit code and output, leaves the running release serving and no machine behind.
func TestReleaseCommandFailureKeepsRelease(t *testing.T) {
	eng := needEngine(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.shell, "[processes]\n  app = 'httpd -f -p 80 -h /'\n")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	before := machines(t, e, dir)
	appendFile(t, dir, "\n[deploy]\n  release_command = \"sh -c 'echo migrating; exit 1'\"\n")
	r := e.run(dir, "deploy", "--wait-timeout", "30s")
	if r.err == nil || !strings.Contains(r.stderr, "release_command failed: exit code 1") || !strings.Contains(r.stderr, "migrating") {
		t.Fatalf("deploy with a failing release_command: %v", r)
	}
	after := machines(t, e, dir)
	if len(after) != 1 || after[0].ID != before[0].ID || after[0].Version != 1 || after[0].State != "started" {
		t.Errorf("the running release changed: before %+v after %+v", before, after)
	}
	if cs, ss := containersOf(t, eng, name), sandboxesOf(t, eng, name); len(cs) != 1 || len(ss) != 1 {
		t.Errorf("%d containers and %d sandboxes left, want the one machine's", len(cs), len(ss))
	}
	// busybox httpd answers (a 404: it has no index page), so the old release still serves.
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://[" + after[0].PrivateIP + "]:80/")
	if err != nil {
		t.Fatalf("the old release does not answer: %v", err)
	}
	resp.Body.Close()
}

func appendFile(t *testing.T, dir, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "fly.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString(text)
}
