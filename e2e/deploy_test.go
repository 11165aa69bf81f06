package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type machineJSON struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	SleepTier string `json:"sleep_tier"`
	PrivateIP string `json:"private_ip"`
	Version   int    `json:"version"`
	Image     string `json:"image"`
}

// launchApp launches an app from the hello image in a fresh directory and makes sure
// the test destroys it (and so its containers) at the end.
func launchApp(t *testing.T, e *env, image string, extra string) (name, dir string) {
	name = fmt.Sprintf("e2e-%d", rand.IntN(1e9))
	dir = e.mkdir(name)
	e.must(dir, "launch", "--image", image, "--flycast", "--internal-port", "80", "--no-deploy", "--yes")
	editForceHTTPS(t, filepath.Join(dir, "fly.toml"))
	if extra != "" {
		f, _ := os.OpenFile(filepath.Join(dir, "fly.toml"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("\n" + extra + "\n")
		f.Close()
	}
	t.Cleanup(func() { e.run(dir, "apps", "destroy", "-y", name) })
	return name, dir
}

func machines(t *testing.T, e *env, dir string) []machineJSON {
	t.Helper()
	var ms []machineJSON
	out := e.must(dir, "machine", "list", "--json").stdout
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("machine list --json: %v\n%s", err, out)
	}
	return ms
}

// get fetches a machine's page directly on its 6PN address, as the proxy will.
func get(t *testing.T, ip string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://[" + ip + "]:80/?format=json")
	if err != nil {
		t.Fatalf("GET machine %s: %v", ip, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET machine %s: %s %s", ip, resp.Status, body)
	}
	return string(body)
}

// TestDeployWalkthrough: launch → deploy → status → machine stop/start → redeploy with
// a new image → destroy, against the real engine.
func TestDeployWalkthrough(t *testing.T) {
	eng := needEngine(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "")

	r := e.must(dir, "deploy", "--wait-timeout", "60s")
	for _, want := range []string{"--> Verified app config", "listening on [fdaa:", "Finished deploying. Reach it from your private network at http://" + name + ".flycast"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("deploy output lacks %q:\n%s", want, r.stderr)
		}
	}
	ms := machines(t, e, dir)
	if len(ms) != 2 {
		t.Fatalf("first deploy made %d machines, want 2 (high availability): %+v", len(ms), ms)
	}
	for _, m := range ms {
		if m.State != "started" || m.Version != 1 || !strings.Contains(get(t, m.PrivateIP), m.ID) {
			t.Errorf("machine %+v does not serve its own page", m)
		}
	}
	if st := e.must(dir, "status").stdout; !strings.Contains(st, ms[0].ID) || !strings.Contains(st, "started") {
		t.Errorf("status:\n%s", st)
	}

	e.must(dir, "machine", "stop", ms[0].ID)
	if m := machineByID(t, e, dir, ms[0].ID); m.State != "stopped" {
		t.Errorf("after stop: %+v", m)
	}
	e.must(dir, "machine", "start", ms[0].ID)
	if m := machineByID(t, e, dir, ms[0].ID); m.State != "started" {
		t.Errorf("after start: %+v", m)
	}

	e.must(dir, "deploy", "--image", images.hello2, "--wait-timeout", "60s")
	for _, m := range machines(t, e, dir) {
		if m.Version != 2 || m.Image != images.hello2 || m.State != "started" {
			t.Errorf("after redeploy: %+v", m)
		}
		get(t, m.PrivateIP)
	}
	if n := len(containersOf(t, eng, name)); n != 2 {
		t.Errorf("%d containers after the redeploy, want 2 (old ones removed)", n)
	}
	if rel := e.must(dir, "releases").stdout; !strings.Contains(rel, "complete") {
		t.Errorf("releases:\n%s", rel)
	}

	e.must(dir, "apps", "destroy", "-y", name)
	if cs := everyContainerOf(t, eng, name); len(cs) != 0 {
		t.Errorf("containers left after apps destroy, sandboxes included: %d", len(cs))
	}
}

func machineByID(t *testing.T, e *env, dir, id string) machineJSON {
	for _, m := range machines(t, e, dir) {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("no machine %s", id)
	return machineJSON{}
}

// TestDeployFailures: each way a deploy can fail says why in one place and leaves no machine behind.
func TestDeployFailures(t *testing.T) {
	eng := needEngine(t)
	e := newEnv(t)
	tests := []struct {
		name, image, extra string
		want               []string
	}{
		{"image missing", "hangar-e2e-missing:nope", "", []string{"hangar-e2e-missing:nope"}},
		{"not listening", images.hello, "[env]\n  NO_LISTEN = '1'", []string{"nothing listens on port 80"}},
		{"crashes", images.hello, "[env]\n  CRASH = '3'", []string{"exited with code 3", "hello: crashing with code 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, dir := launchApp(t, e, tt.image, tt.extra)
			r := e.run(dir, "deploy", "--ha=false", "--wait-timeout", "5s")
			for _, want := range tt.want {
				if r.err == nil || !strings.Contains(r.stderr, want) {
					t.Errorf("want a failure mentioning %q, got %v", want, r)
				}
			}
			if cs := containersOf(t, eng, name); len(cs) != 0 {
				t.Errorf("%d containers left after a failed first deploy", len(cs))
			}
		})
	}
}

// TestFailedRedeployKeepsPreviousRelease: a crashing new release leaves the old machines serving.
func TestFailedRedeployKeepsPreviousRelease(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	_, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	before := machines(t, e, dir)
	f, _ := os.OpenFile(filepath.Join(dir, "fly.toml"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n[env]\n  CRASH = '1'\n")
	f.Close()
	if r := e.run(dir, "deploy", "--wait-timeout", "10s"); r.err == nil {
		t.Fatalf("a crashing release deployed: %v", r)
	}
	after := machines(t, e, dir)
	if len(after) != 1 || after[0].Version != 1 || after[0].State != "started" || after[0].PrivateIP != before[0].PrivateIP {
		t.Errorf("previous release not kept: before %+v after %+v", before, after)
	}
	get(t, after[0].PrivateIP)
}
