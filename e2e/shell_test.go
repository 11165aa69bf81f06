package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestShellMachine is the seed's `fly machine run --shell`: a shell on the organization's
// network that reaches the app's machine over 6PN, and is destroyed when it ends.
func TestShellMachine(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	_, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	app := machines(t, e, dir)[0]

	script := fmt.Sprintf("echo shell-up\nhget -s 'http://[%s]:80/?format=json'\n", app.PrivateIP)
	cmd := exec.Command(hangarBin, "machine", "run", "--shell", images.shell)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, append(os.Environ(), "HANGAR_HOME="+e.home), strings.NewReader(script)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("machine run --shell: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "shell-up") || !strings.Contains(string(out), `"server_name":"`+app.ID+`"`) {
		t.Errorf("the shell did not reach machine %s over 6PN:\n%s", app.ID, out)
	}
	if ms := machines(t, e, dir); len(ms) != 1 {
		t.Errorf("the shell machine was not destroyed when it ended: %+v", ms)
	}
}
