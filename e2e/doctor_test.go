package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestDoctorAfterDeploy: as root with a deployed app, every check of hangar doctor passes,
// and its lines name the engine's version and the app's name and Flycast address.
func TestDoctorAfterDeploy(t *testing.T) {
	eng := needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir, _, addr := deployedApp(t, e, "")
	info, err := eng.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	out := e.must(dir, "doctor").stdout
	t.Logf("hangar doctor:\n%s", out)
	for _, want := range []string{
		"ok   Docker engine " + info.ServerVersion + " ",
		"ok   Flycast addresses are routed on this host",
		fmt.Sprintf(" answers %s.flycast AAAA with %s\n", name, addr),
		fmt.Sprintf("ok   system resolver finds %s.flycast at %s", name, addr),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hangar doctor lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "ok   ") {
			t.Errorf("a check did not pass: %q", line)
		}
	}
	checkDoctorJSON(t, e, dir)
}

// checkDoctorJSON: --json lists the same checks in order, each ok.
func checkDoctorJSON(t *testing.T, e *env, dir string) {
	var checks []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
		Fix    string `json:"fix"`
	}
	out := e.must(dir, "doctor", "--json").stdout
	if err := json.Unmarshal([]byte(out), &checks); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
		if !c.OK || c.Fix != "" {
			t.Errorf("check %+v: want ok with no fix", c)
		}
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "agent engine privileges route") || !strings.HasSuffix(got, "dns resolver") {
		t.Errorf("checks %q, want agent engine privileges route… dns… resolver", got)
	}
}

// TestDoctorLoopback: an agent told to serve apps on loopback is not broken: doctor warns
// that Flycast addresses are not routed, says to use hangar proxy, and exits 0.
func TestDoctorLoopback(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_FLYCAST_MODE=loopback", fmt.Sprintf("HANGAR_LOOPBACK_ADDR=127.0.0.1:%d", freePort(t))}
	name, dir := launchApp(t, e, images.hello, "")

	out := e.must(dir, "doctor").stdout
	t.Logf("hangar doctor:\n%s", out)
	for _, want := range []string{
		"ok   Docker engine ",
		"WARN Flycast addresses are not routed on this host: ",
		"  fix: ",
		"skip Flycast routes: skipped, the agent runs in loopback mode",
		"hangar proxy <port> -a " + name + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hangar doctor lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "FAIL") {
		t.Errorf("a check failed in loopback mode:\n%s", out)
	}
}
