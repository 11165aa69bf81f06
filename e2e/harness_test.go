package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// env is one user's machine: an isolated HANGAR_HOME and a history of what ran.
type env struct {
	t    *testing.T
	home string
	work string

	// extraEnv is added to every command's environment (and so the agent's).
	extraEnv []string

	mu      sync.Mutex
	history []string
}

// newEnv makes a fresh HANGAR_HOME (short: it holds the agent's socket), stops the agent
// and removes everything when the test ends, and prints the command history on failure.
func newEnv(t *testing.T) *env {
	home, err := os.MkdirTemp("", "hgr-")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, home: home, work: t.TempDir()}
	t.Cleanup(func() {
		if t.Failed() {
			e.dumpHistory()
		}
		e.run(e.work, "agent", "stop")
		os.RemoveAll(home)
	})
	return e
}

type result struct {
	stdout, stderr string
	err            error
}

func (r result) String() string {
	return fmt.Sprintf("err=%v\nstdout:\n%s\nstderr:\n%s", r.err, r.stdout, r.stderr)
}

// run runs hangar in dir, with a 60 s bound.
func (e *env) run(dir string, args ...string) result {
	cmd := exec.Command(hangarBin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "HANGAR_HOME="+e.home, "NO_COLOR=1"), e.extraEnv...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		err = fmt.Errorf("timed out after 60s: %v", <-done)
	}
	r := result{out.String(), errOut.String(), err}
	e.record(dir, args, r)
	return r
}

// must runs hangar and fails the test when it exits non-zero.
func (e *env) must(dir string, args ...string) result {
	e.t.Helper()
	r := e.run(dir, args...)
	if r.err != nil {
		e.t.Fatalf("hangar %s: %v", strings.Join(args, " "), r)
	}
	return r
}

func (e *env) record(dir string, args []string, r result) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.history = append(e.history, fmt.Sprintf("$ (cd %s) hangar %s\n%s", dir, strings.Join(args, " "), r))
}

func (e *env) dumpHistory() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.t.Logf("command history:\n%s", strings.Join(e.history, "\n"))
	if log, err := os.ReadFile(filepath.Join(e.home, "agent.log")); err == nil {
		e.t.Logf("agent log:\n%s", log)
	}
}

// mkdir makes a directory under the work dir, as `mkdir NAME && cd NAME`.
func (e *env) mkdir(name string) string {
	dir := filepath.Join(e.work, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.t.Fatal(err)
	}
	return dir
}
