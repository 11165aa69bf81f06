package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSecrets: a secret set before the first deploy, one set from stdin with a rolling
// restart, one staged and then deployed, all reach the machine's environment; none of
// their values is in the state file or in any output; unset takes them away again.
func TestSecrets(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	_, dir := launchApp(t, e, images.shell, "[processes]\n  app = 'httpd -f -p 80 -h /'\n")
	values := []string{secretValue(), secretValue(), secretValue()}

	r := e.must(dir, "secrets", "set", "E2E_FIRST="+values[0])
	if !strings.Contains(r.stderr, "Secrets are staged for the first deployment") {
		t.Errorf("set before a deploy: %s", r)
	}
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	id := machines(t, e, dir)[0].ID
	wantEnv(t, id, map[string]string{"E2E_FIRST": values[0]})

	start := time.Now()
	r = e.setFromStdin(dir, values[1], "secrets", "set", "E2E_TOKEN=-")
	setTook := time.Since(start)
	if r.err != nil || !strings.Contains(r.stderr, "update finished: success") {
		t.Fatalf("secrets set E2E_TOKEN=-: %s", r)
	}
	wantEnv(t, id, map[string]string{"E2E_FIRST": values[0], "E2E_TOKEN": values[1]})

	r = e.must(dir, "secrets", "set", "--stage", "E2E_LATER="+values[2])
	if !strings.Contains(r.stderr, "Secrets have been staged, but not set on VMs.") {
		t.Errorf("--stage: %s", r)
	}
	wantEnv(t, id, map[string]string{"E2E_LATER": ""})
	r = e.must(dir, "secrets", "list")
	if !strings.Contains(r.stdout, "* E2E_LATER\t") || !strings.Contains(r.stdout, "E2E_TOKEN\t") ||
		!strings.Contains(r.stderr, "There is 1 secret not deployed.") {
		t.Errorf("secrets list: %s", r)
	}
	e.must(dir, "secrets", "deploy")
	wantEnv(t, id, map[string]string{"E2E_LATER": values[2], "E2E_TOKEN": values[1]})

	// import: a .env file on stdin, one value over two lines, rolled onto the machine.
	imported := []string{secretValue(), secretValue(), secretValue()}
	values = append(values, imported...)
	env := "# exported from the old host\n\nE2E_IMPORTED=" + imported[0] + "\nE2E_PEM=\"\"\"" + imported[1] + "\nsecond line\"\"\"\n"
	r = e.setFromStdin(dir, env, "secrets", "import")
	if r.err != nil || !strings.Contains(r.stderr, "update finished: success") {
		t.Fatalf("secrets import: %s", r)
	}
	wantEnv(t, id, map[string]string{"E2E_IMPORTED": imported[0], "E2E_PEM": imported[1] + "\nsecond line", "E2E_TOKEN": values[1]})
	r = e.setFromStdin(dir, "E2E_STAGED='"+imported[2]+"'\n", "secrets", "import", "--stage")
	if r.err != nil || !strings.Contains(r.stderr, "Secrets have been staged, but not set on VMs.") {
		t.Fatalf("secrets import --stage: %s", r)
	}
	wantEnv(t, id, map[string]string{"E2E_STAGED": ""})
	r = e.must(dir, "secrets", "list")
	for _, row := range []string{"E2E_IMPORTED\t", "E2E_PEM\t", "* E2E_STAGED\t"} {
		if !strings.Contains(r.stdout, "\n"+row) {
			t.Errorf("secrets list lacks %q: %s", row, r)
		}
	}
	if strings.Contains(r.stdout, "Partial") || strings.Contains(r.stdout, "Unknown") {
		t.Errorf("secrets list on one machine made with the secrets: %s", r)
	}
	if r = e.setFromStdin(dir, "E2E_OK=1\n"+imported[2]+"\n", "secrets", "import"); r.err == nil ||
		!strings.Contains(r.stderr, "line 2: secrets must be provided as NAME=VALUE pairs") {
		t.Errorf("import of a bad line: %s", r)
	}
	e.must(dir, "secrets", "deploy")
	wantEnv(t, id, map[string]string{"E2E_STAGED": imported[2]})
	e.must(dir, "secrets", "unset", "E2E_IMPORTED", "E2E_PEM", "E2E_STAGED")

	e.must(dir, "secrets", "list", "--json")
	e.must(dir, "status")
	e.must(dir, "machine", "list", "--json")
	e.must(dir, "releases")
	e.noValueShown(values)

	e.must(dir, "secrets", "unset", "E2E_FIRST", "E2E_TOKEN", "E2E_LATER", "NEVER_SET")
	wantEnv(t, id, map[string]string{"E2E_FIRST": "", "E2E_TOKEN": "", "E2E_LATER": ""})
	if r := e.must(dir, "secrets", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("after unset: %s", r)
	}

	start = time.Now()
	e.must(dir, "machine", "stop", id)
	e.must(dir, "machine", "start", id)
	t.Logf("secrets set (rolling restart of 1 machine): %v; machine stop && start: %v", setTook, time.Since(start))
}

func secretValue() string { return fmt.Sprintf("e2e-s3cret-%016x", rand.Uint64()) }

// wantEnv checks the machine's app container's environment: an empty value means absent.
func wantEnv(t *testing.T, id string, want map[string]string) {
	t.Helper()
	env := dockerCLI(t, "exec", appContainer(t, id), "env")
	for name, value := range want {
		line := name + "=" + value
		has := strings.Contains("\n"+env, "\n"+name+"=")
		switch {
		case value == "" && has:
			t.Errorf("machine %s still has %s", id, name)
		case value != "" && !strings.Contains(env, line+"\n"):
			t.Errorf("machine %s lacks %s (or has another value)", id, name)
		}
	}
}

// setFromStdin runs hangar with value on its standard input.
func (e *env) setFromStdin(dir, value string, args ...string) result {
	cmd := exec.Command(hangarBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+e.home, "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(value)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{out.String(), errOut.String(), err}
	e.record(dir, args, r)
	return r
}

// noValueShown: no command's output, nor the agent's log, nor the state file holds a value.
func (e *env) noValueShown(values []string) {
	e.t.Helper()
	var outputs strings.Builder // what the commands printed, without their arguments
	e.mu.Lock()
	for _, h := range e.history {
		_, out, _ := strings.Cut(h, "\n")
		outputs.WriteString(out)
	}
	e.mu.Unlock()
	log, _ := os.ReadFile(filepath.Join(e.home, "agent.log"))
	db, err := os.ReadFile(filepath.Join(e.home, "state.db"))
	if err != nil || len(db) == 0 {
		e.t.Fatalf("reading state.db: %v", err)
	}
	for _, v := range values {
		for what, text := range map[string]string{"a command's output": outputs.String(), "the agent log": string(log), "state.db": string(db)} {
			if strings.Contains(text, v) {
				e.t.Errorf("%s holds a secret's value", what)
			}
		}
	}
}
