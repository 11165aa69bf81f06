package e2e

import (
	"strings"
	"testing"
)

// TestScaleCount: scale count 3 then 1 gives the machines (each an app container and a
// sandbox), and the second count removes the two others; +1 and -1 (after "--", or
// bare) change the count, below zero is refused; a last count is a no-op.
func TestScaleCount(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "")
	if r := e.run(dir, "scale", "count", "2", "-y"); r.err == nil || !strings.Contains(r.stderr, "hangar deploy") {
		t.Errorf("scale before a deploy: want the deploy hint, got %v", r)
	}
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	if r := e.run(dir, "scale", "count", "3"); r.err == nil || !strings.Contains(r.stderr, "--yes flag must be specified when not running interactively") {
		t.Errorf("scale without --yes and a terminal: %v", r)
	}
	out := e.must(dir, "scale", "count", "3", "-y").stdout
	for _, want := range []string{"App '" + name + "' is going to be scaled according to this plan:",
		"  +2 machines for group 'app' on region 'iad' of size 'shared-cpu-1x'", "  Created "} {
		if !strings.Contains(out, want) {
			t.Errorf("scale count 3: no %q in\n%s", want, out)
		}
	}
	checkCounts(t, e, dir, name, 3)
	show := e.must(dir, "scale", "show").stdout
	if !strings.Contains(show, "VM Resources for app: "+name) || !strings.Contains(show, "iad(3)") || !strings.Contains(show, "1024 MB") {
		t.Errorf("scale show:\n%s", show)
	}
	out = e.must(dir, "scale", "count", "1", "-y").stdout
	if strings.Count(out, "  Destroyed ") != 2 || !strings.Contains(out, "  -2 machines for group 'app'") {
		t.Errorf("scale count 1:\n%s", out)
	}
	checkCounts(t, e, dir, name, 1)
	out = e.must(dir, "scale", "count", "+1", "-y").stdout
	if !strings.Contains(out, "  +1 machine for group 'app' on region 'iad'") || strings.Count(out, "  Created ") != 1 {
		t.Errorf("scale count +1:\n%s", out)
	}
	checkCounts(t, e, dir, name, 2)
	out = e.must(dir, "scale", "count", "-y", "--", "-1").stdout
	if !strings.Contains(out, "  -1 machine for group 'app' on region 'iad'") || strings.Count(out, "  Destroyed ") != 1 {
		t.Errorf("scale count -- -1:\n%s", out)
	}
	checkCounts(t, e, dir, name, 1)
	if r := e.run(dir, "scale", "count", "-2", "-y"); r.err == nil || !strings.Contains(r.stderr, "scale it to 0 (app=0) to destroy them all") {
		t.Errorf("scale count -2 of 1 machine: %v", r)
	}
	if out := e.must(dir, "scale", "count", "1").stdout; !strings.Contains(out, "App already scaled to desired state. No need for changes") {
		t.Errorf("scale count 1 again:\n%s", out)
	}
}

func checkCounts(t *testing.T, e *env, dir, name string, n int) {
	t.Helper()
	eng := needEngine(t)
	if ms := machines(t, e, dir); len(ms) != n {
		t.Errorf("machine list has %d machines, want %d: %+v", len(ms), n, ms)
	}
	if cs, ss := containersOf(t, eng, name), sandboxesOf(t, eng, name); len(cs) != n || len(ss) != n {
		t.Errorf("%d containers and %d sandboxes, want %d of each", len(cs), len(ss), n)
	}
}
