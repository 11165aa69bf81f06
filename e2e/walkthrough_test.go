package e2e

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSeedWalkthroughControlPlane follows the seed up to `hangar ips list`, as a user
// with no terminal would (a script, CI).
func TestSeedWalkthroughControlPlane(t *testing.T) {
	e := newEnv(t)
	dir := e.mkdir("flycast-demo")

	r := e.must(dir, "launch", "--image", "nginxdemos/hello", "--flycast", "--internal-port", "80", "--no-deploy")
	for _, want := range []string{"Started the hangar agent in the background", "Created app 'flycast-demo' in organization 'personal'",
		"Private ipv6: fdaa:", "force_https = false", "Your app is ready!"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("launch output lacks %q:\n%s", want, r.stderr)
		}
	}
	flyToml := filepath.Join(dir, "fly.toml")
	editForceHTTPS(t, flyToml)
	e.must(dir, "config", "validate")

	r = e.must(dir, "ips", "list")
	row := regexp.MustCompile(`(?m)^v6\t(fdaa:[0-9a-f]+:[0-9a-f]+:0:1::[0-9a-f]+)\tprivate\tglobal\t(just now|\d+s ago)$`)
	m := row.FindStringSubmatch(r.stdout)
	if !strings.HasPrefix(r.stdout, "VERSION\tIP\tTYPE\tREGION\tCREATED AT\n") || m == nil {
		t.Fatalf("ips list:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr+r.stdout, "fdaa") || strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("want exactly one private address:\n%s", r.stdout)
	}
	checkJSONListsAddress(t, e.must(dir, "ips", "list", "--json").stdout, m[1])
	checkOrgHoldsAddress(t, e.must(dir, "orgs", "list", "--json").stdout, m[1])

	if r := e.must(dir, "ips", "private", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("ips private before any machine: %q", r.stdout)
	}
	if r := e.must(dir, "apps", "list", "-q"); r.stdout != "flycast-demo\n" {
		t.Errorf("apps list -q: %q", r.stdout)
	}
}

func editForceHTTPS(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "force_https = true", "force_https = false", 1)
	if edited == string(data) {
		t.Fatalf("fly.toml has no force_https = true:\n%s", data)
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

func checkJSONListsAddress(t *testing.T, out, addr string) {
	var ips []struct{ Address, Type, Region string }
	if err := json.Unmarshal([]byte(out), &ips); err != nil || len(ips) != 1 {
		t.Fatalf("ips list --json: %v\n%s", err, out)
	}
	if ips[0].Address != addr || ips[0].Type != "private_v6" || ips[0].Region != "global" {
		t.Errorf("ips list --json: %+v", ips[0])
	}
}

func checkOrgHoldsAddress(t *testing.T, out, addr string) {
	var orgs []struct{ Slug, Prefix string }
	if err := json.Unmarshal([]byte(out), &orgs); err != nil || len(orgs) != 1 {
		t.Fatalf("orgs list --json: %v\n%s", err, out)
	}
	prefix := netip.MustParsePrefix(orgs[0].Prefix)
	if prefix.Bits() != 48 || !prefix.Contains(netip.MustParseAddr(addr)) || orgs[0].Slug != "personal" {
		t.Errorf("org %+v does not hold %s", orgs[0], addr)
	}
}

// TestBadInput checks that every mistake is one line naming the fix, exits non-zero and leaves nothing half-written.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	dir := e.mkdir("demo")
	e.must(dir, "launch", "--image", "x", "--no-deploy")
	other := e.mkdir("other/demo")
	empty := e.mkdir("empty")
	os.WriteFile(filepath.Join(e.mkdir("broken"), "fly.toml"), []byte("app = 'broken'\n[http_service]\ninternal_port = 0\n"), 0o644)
	os.WriteFile(filepath.Join(e.mkdir("garbled"), "fly.toml"), []byte("app = 'x'\n[http_service\n"), 0o644)
	tests := []struct {
		name, dir string
		args      []string
		want      string
	}{
		{"second launch of a name", other, []string{"launch", "--image", "x"}, "app name demo is already taken: choose another with --name"},
		{"existing fly.toml", dir, []string{"launch", "--image", "x", "--name", "fresh"}, "already exists and hangar will not overwrite it"},
		{"invalid name", empty, []string{"launch", "--image", "x", "--name", "Bad_Name"}, "app name must consist of only lowercase letters, numbers, and dashes"},
		{"port out of range", empty, []string{"launch", "--image", "x", "--internal-port", "99999"}, "--internal-port must be 1-65535, got 99999"},
		{"unknown flag", empty, []string{"launch", "--publik"}, "unknown flag: --publik"},
		{"no app", empty, []string{"ips", "list"}, "no app name: pass -a APP, or run in a directory with fly.toml"},
		{"unknown app", empty, []string{"ips", "list", "-a", "ghost"}, "see your apps with hangar apps list"},
		{"public address", dir, []string{"ips", "allocate-v6"}, "never get a public address: add --private"},
		{"bad address", dir, []string{"ips", "release", "nope"}, "Invalid IP address: 'nope'"},
		{"invalid fly.toml", filepath.Join(e.work, "broken"), []string{"config", "validate"}, "fly.toml:3: http_service.internal_port must be 1-65535, got 0"},
		{"malformed fly.toml", filepath.Join(e.work, "garbled"), []string{"ips", "list"}, "fly.toml:2"},
		{"destroy without a terminal", dir, []string{"apps", "destroy", "demo"}, "--yes is required when not running interactively"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run(tt.dir, tt.args...)
			if r.err == nil || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("want failure containing %q, got %v", tt.want, r)
			}
		})
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("failed launches left files: %v", entries)
	}
	if r := e.must(dir, "apps", "list", "-q"); r.stdout != "demo\n" {
		t.Errorf("apps after failures: %q", r.stdout)
	}
}

// TestAgentLifecycle: status, stop, and the next command starting it again with state kept.
func TestAgentLifecycle(t *testing.T) {
	e := newEnv(t)
	if r := e.run(e.work, "agent", "status"); r.err == nil {
		t.Fatalf("status before start: %v", r)
	}
	e.must(e.work, "agent", "start")
	info, err := os.Stat(filepath.Join(e.home, "hangar.sock"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v %v", info, err)
	}
	e.must(e.work, "apps", "create", "kept")
	e.must(e.work, "agent", "stop")
	if r := e.run(e.work, "agent", "status"); r.err == nil {
		t.Errorf("status after stop: %v", r)
	}
	if r := e.must(e.work, "apps", "list", "-q"); r.stdout != "kept\n" {
		t.Errorf("apps after restart: %v", r)
	}
	e.must(e.work, "apps", "destroy", "-y", "kept")
	if r := e.must(e.work, "apps", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("apps after destroy: %v", r)
	}
}
