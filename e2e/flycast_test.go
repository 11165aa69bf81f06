package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// needRoot: Flycast routes and the DNS server on fdaa::3 need root; CI runs as root.
func needRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("Flycast tests need root (local routes, fdaa::3)")
		}
		t.Skip("Flycast needs root")
	}
}

// shell runs a script in a shell machine of the app, as the seed does with
// `fly machine run --shell`, and returns what it printed.
func shell(t *testing.T, e *env, dir, script string) string {
	t.Helper()
	cmd := exec.Command(hangarBin, "machine", "run", "--shell", images.shell)
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(script)
	cmd.Env = append(append(os.Environ(), "HANGAR_HOME="+e.home), e.extraEnv...)
	out, err := cmd.CombinedOutput()
	e.record(dir, []string{"machine run --shell <<", script}, result{stdout: string(out), err: err})
	if err != nil {
		t.Fatalf("shell machine: %v\n%s", err, out)
	}
	return string(out)
}

// deployedApp launches the hello image as an app with one machine and returns its name,
// directory, machine ID and Flycast address.
func deployedApp(t *testing.T, e *env, extra string) (name, dir, id, addr string) {
	name, dir = launchApp(t, e, images.hello, extra)
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	return name, dir, machines(t, e, dir)[0].ID, flycastAddr(t, e, dir)
}

func flycastAddr(t *testing.T, e *env, dir string) string {
	var ips []struct{ Address string }
	json.Unmarshal([]byte(e.must(dir, "ips", "list", "--json").stdout), &ips)
	if len(ips) != 1 {
		t.Fatalf("want one Flycast address, got %+v", ips)
	}
	return ips[0].Address
}

// TestFlycastWalkthrough is the rest of the seed: from a shell machine, nslookup answers
// from fdaa::3, ping answers, http://<app>.flycast returns the hello page; after the idle
// time the machine stops, and the next request wakes it.
func TestFlycastWalkthrough(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=2s"}
	name, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	addr, id := flycastAddr(t, e, dir), machines(t, e, dir)[0].ID

	out := shell(t, e, dir, fmt.Sprintf("nslookup %s.flycast\nping -c1 %[1]s.flycast\nhget -s 'http://%[1]s.flycast/?format=json'\n", name))
	for _, want := range []string{"Server:\t\tfdaa::3", "Address: " + addr, "1 packets received", `"server_name":"` + id + `"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the shell machine's output lacks %q:\n%s", want, out)
		}
	}

	waitFor(t, "the idle machine to stop", func() bool { return machineByID(t, e, dir, id).State == "stopped" })
	out = shell(t, e, dir, fmt.Sprintf("hget -s 'http://%s.flycast/?format=json'\n", name))
	if !strings.Contains(out, `"server_name":"`+id+`"`) {
		t.Errorf("the request to a stopped app did not wake it:\n%s", out)
	}
	if m := machineByID(t, e, dir, id); m.State != "started" {
		t.Errorf("after the wake: %+v", m)
	}
	if st := e.must(dir, "status").stdout; strings.Contains(st, "\t-\n") {
		t.Errorf("status shows no last wake:\n%s", st)
	}
}

// TestSuspendWithPerAppIdle: auto_stop_machines = 'suspend' and [hangar] idle_timeout in
// fly.toml; the idle machine is paused, and a request resumes it.
func TestSuspendWithPerAppIdle(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t) // the agent's own default idle time (60 s) would not fire in this test
	name, dir := launchApp(t, e, images.hello, "[hangar]\n  idle_timeout = '2s'")
	flyToml := dir + "/fly.toml"
	os.WriteFile(flyToml, []byte(strings.Replace(readFile(t, flyToml), "auto_stop_machines = 'stop'", "auto_stop_machines = 'suspend'", 1)), 0o644)
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	id, addr := machines(t, e, dir)[0].ID, flycastAddr(t, e, dir)
	if code, _ := getHost(t, "http://["+addr+"]:80/", name+".flycast"); code != 200 {
		t.Fatalf("first request: %d", code)
	}
	waitFor(t, "the idle machine to be suspended", func() bool { return machineByID(t, e, dir, id).State == "suspended" })
	if code, body := getHost(t, "http://["+addr+"]:80/?format=json", name+".flycast"); code != 200 || !strings.Contains(body, id) {
		t.Errorf("request to the suspended app: %d %s", code, body)
	}
	if m := machineByID(t, e, dir, id); m.State != "started" {
		t.Errorf("after the request: %+v", m)
	}
}

// TestForceHTTPS: with flyctl's default force_https = true (what launch writes), the
// proxy answers plain HTTP with a 301 to https, as Fly does; the seed turns it off.
func TestForceHTTPS(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name := fmt.Sprintf("e2e-%d", time.Now().UnixNano()%1e9)
	dir := e.mkdir(name)
	e.must(dir, "launch", "--image", images.hello, "--flycast", "--internal-port", "80", "--name", name, "--yes")
	t.Cleanup(func() { e.run(dir, "apps", "destroy", "-y", name) })
	addr := flycastAddr(t, e, dir)
	req, _ := http.NewRequest(http.MethodGet, "http://["+addr+"]:80/admin?x=1", nil)
	req.Host = name + ".flycast"
	noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 301 || loc != "https://"+name+".flycast/admin?x=1" {
		t.Errorf("force_https = true: %d Location %q", resp.StatusCode, loc)
	}
}
