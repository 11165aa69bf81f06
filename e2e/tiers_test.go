package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// addressUp reports whether a 6PN address is held: a dial to a port nothing listens on
// is refused at once, where an address nobody holds is unreachable or times out.
func addressUp(ip string) bool {
	c, err := net.DialTimeout("tcp", "["+ip+"]:9", time.Second)
	if err == nil {
		c.Close()
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// wakeByFlycast asks the app at its Flycast address and fails unless the machine answers.
func wakeByFlycast(t *testing.T, name, addr, id string) {
	t.Helper()
	if code, body := getHost(t, "http://["+addr+"]:80/?format=json", name+".flycast"); code != 200 || !strings.Contains(body, id) {
		t.Fatalf("request to the sleeping app: %d %s", code, body)
	}
}

// TestSleepTiers: a machine stopped by its idle time sleeps in the stop tier, its sandbox
// up and its 6PN address held; with [hangar] cold_after its sandbox stops too (cold);
// a suspended one is in the suspend tier; a request wakes it from each, and machine list
// and status say which tier it is in.
func TestSleepTiers(t *testing.T) {
	eng := needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=2s"}
	name, dir, id, addr := deployedApp(t, e, "[hangar]\n  cold_after = '4s'")
	ip := machineByID(t, e, dir, id).PrivateIP

	waitFor(t, "the idle machine to stop", func() bool { return machineByID(t, e, dir, id).SleepTier == "stop" })
	if sbs := sandboxesOf(t, eng, name); len(sbs) != 1 || sbs[0].State != "running" {
		t.Fatalf("sandboxes of a machine in the stop tier: %+v", sbs)
	}
	if !addressUp(ip) {
		t.Errorf("the 6PN address %s of a stopped machine is not held", ip)
	}
	if st := e.must(dir, "status").stdout; !strings.Contains(st, "stop") {
		t.Errorf("status does not show the stop tier:\n%s", st)
	}
	wakeByFlycast(t, name, addr, id)

	waitFor(t, "the machine to sleep cold", func() bool { return machineByID(t, e, dir, id).SleepTier == "cold" })
	if sbs := sandboxesOf(t, eng, name); len(sbs) != 1 || sbs[0].State == "running" {
		t.Fatalf("sandboxes of a cold machine: %+v", sbs)
	}
	if out := e.must(dir, "machine", "list").stdout; !strings.Contains(out, "cold") {
		t.Errorf("machine list does not show the cold tier:\n%s", out)
	}
	wakeByFlycast(t, name, addr, id)
	if m := machineByID(t, e, dir, id); m.State != "started" || m.SleepTier != "" {
		t.Errorf("after a wake from cold: %+v", m)
	}

	e.must(dir, "machine", "suspend", id)
	if m := machineByID(t, e, dir, id); m.SleepTier != "suspend" {
		t.Errorf("a suspended machine sleeps %q", m.SleepTier)
	}
	wakeByFlycast(t, name, addr, id)
}

// TestSandboxRemovedBehindHangarsBack: a sandbox killed under a running machine is
// replaced and the machine serves again; one removed (docker rm -f) while the machine
// sleeps is made again, with the app's container, at the next wake.
func TestSandboxRemovedBehindHangarsBack(t *testing.T) {
	eng := needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir, id, addr := deployedApp(t, e, "")
	ctx := context.Background()
	sb := sandboxesOf(t, eng, name)[0]
	if err := eng.StopContainer(ctx, sb.ID, "SIGKILL", time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the machine to serve again in a running sandbox", func() bool {
		m := machineByID(t, e, dir, id)
		sbs := sandboxesOf(t, eng, name)
		return m.State == "started" && len(sbs) == 1 && sbs[0].State == "running" && addressUp(m.PrivateIP)
	})
	wakeByFlycast(t, name, addr, id)

	e.must(dir, "machine", "stop", id)
	for _, s := range sandboxesOf(t, eng, name) {
		if err := eng.RemoveContainer(ctx, s.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the machine to be seen cold", func() bool { return machineByID(t, e, dir, id).SleepTier == "cold" })
	wakeByFlycast(t, name, addr, id)
	if cs, sbs := containersOf(t, eng, name), sandboxesOf(t, eng, name); len(cs) != 1 || len(sbs) != 1 {
		t.Errorf("after the wake: %d containers and %d sandboxes, want one each", len(cs), len(sbs))
	}
}

// TestRequestDuringAStop: while one of two machines is being stopped (an app that takes
// a second to stop on SIGINT), requests keep being answered, by the other machine.
func TestRequestDuringAStop(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	slow := "[processes]\n  app = \"sh -c 'trap \\\"sleep 1; exit 0\\\" INT; httpd -f -p 80 -h / & wait'\"\n"
	name, dir := launchApp(t, e, images.shell, slow)
	e.must(dir, "deploy", "--wait-timeout", "60s")
	ms, addr := machines(t, e, dir), flycastAddr(t, e, dir)
	if len(ms) != 2 {
		t.Fatalf("want two machines, got %+v", ms)
	}
	stopped := make(chan result, 1)
	go func() { stopped <- e.run(dir, "machine", "stop", ms[0].ID) }()
	waitFor(t, "the stop to begin", func() bool { return machineByID(t, e, dir, ms[0].ID).State != "started" })
	for i := 0; i < 20; i++ {
		if code, _ := getHost(t, fmt.Sprintf("http://[%s]:80/", addr), name+".flycast"); code != 200 && code != 404 {
			t.Fatalf("request %d during the stop: %d", i, code)
		}
	}
	if r := <-stopped; r.err != nil {
		t.Fatalf("machine stop: %v", r)
	}
}
