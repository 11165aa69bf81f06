package e2e

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// hostsOutside is /etc/hosts without any hangar block (other tests' agents and the
// user's come and go meanwhile): what a test must leave exactly as it found it.
func hostsOutside(t *testing.T) string {
	data, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?ms)^# BEGIN hangar ([0-9a-f]+)\b.*?^# END hangar [0-9a-f]+\n`)
	return block.ReplaceAllString(string(data), "")
}

func hostsBlock(t *testing.T, id string) string {
	data, _ := os.ReadFile("/etc/hosts")
	m := regexp.MustCompile(`(?ms)^# BEGIN hangar ` + id + `\b.*?^# END hangar ` + id + `$`).FindString(string(data))
	return m
}

// installationID is the ID the agent marks its hosts block and Docker objects with.
func installationID(t *testing.T, e *env) string {
	data, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`# BEGIN hangar ([0-9a-f]+) — managed by the hangar agent of ` + regexp.QuoteMeta(e.home) + `;`).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("no hosts block of %s in /etc/hosts:\n%s", e.home, data)
	}
	return m[1]
}

// getent resolves name through the system resolver (libc's, as browsers and curl use).
func getent(name string) string {
	out, _ := exec.Command("getent", "ahosts", name).Output()
	return string(out)
}

// TestHostResolvesAppsByName: once the app is deployed, the host's own resolver answers
// <app>.flycast and <app>.internal, curl reaches the app by name, the hosts file gains a
// block of this installation and nothing else changes; the block goes when the agent
// stops, stays after a kill -9, and is rewritten and then removed by the next agent.
func TestHostResolvesAppsByName(t *testing.T) {
	needEngine(t)
	needRoot(t)
	resolvBefore, _ := os.ReadFile("/etc/resolv.conf")
	e := newEnv(t)
	name, dir, id, addr := deployedApp(t, e, "")
	waitFor(t, name+".flycast in the system resolver", func() bool { return strings.Contains(getent(name+".flycast"), addr) })
	inst := installationID(t, e)
	outside := hostsOutside(t)
	out, err := exec.Command("curl", "-sS", "-m", "10", fmt.Sprintf("http://%s.flycast/?format=json", name)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"server_name":"`+id+`"`) {
		t.Fatalf("curl http://%s.flycast/: %v\n%s", name, err, out)
	}
	if got := getent(name + ".internal"); !strings.Contains(got, "fdaa:") {
		t.Errorf("getent ahosts %s.internal = %q, want the machine's 6PN address", name, got)
	}
	for _, line := range strings.Split(hostsBlock(t, inst), "\n") {
		if !strings.HasPrefix(line, "#") && !strings.Contains(line, name+".") {
			t.Errorf("the block holds a name that is not this app's: %q", line)
		}
	}

	e.must(dir, "agent", "stop")
	if b := hostsBlock(t, inst); b != "" {
		t.Errorf("after agent stop the block is still there:\n%s", b)
	}
	e.must(dir, "status")
	waitFor(t, "the block to come back", func() bool { return strings.Contains(getent(name+".flycast"), addr) })
	killAgent(t, e)
	// The block stays until an agent starts: this installation's next one, or any other
	// agent of the host (the tests run several), which cleans the blocks of dead agents.
	e.must(dir, "status")
	waitFor(t, "the restarted agent's block", func() bool { return strings.Contains(getent(name+".flycast"), addr) })
	e.must(dir, "agent", "stop")
	if b := hostsBlock(t, inst); b != "" {
		t.Errorf("after kill -9, restart and stop the block is still there:\n%s", b)
	}
	if got := hostsOutside(t); got != outside {
		t.Errorf("lines outside the block changed:\nbefore:\n%s\nafter:\n%s", outside, got)
	}
	if after, _ := os.ReadFile("/etc/resolv.conf"); string(after) != string(resolvBefore) {
		t.Errorf("/etc/resolv.conf changed:\n%s\nwas:\n%s", after, resolvBefore)
	}
	if got := getent("localhost"); got == "" {
		t.Error("localhost no longer resolves")
	}
}

// TestTwoInstallationsSideBySide: two agents (two HANGAR_HOMEs, as the test suite's next
// to the user's) each get full Flycast: a shell machine of each asks fdaa::3 and gets its
// own app, not the other's, and the host resolves both apps by name.
func TestTwoInstallationsSideBySide(t *testing.T) {
	needEngine(t)
	needRoot(t)
	a, b := newEnv(t), newEnv(t)
	nameA, dirA, _, addrA := deployedApp(t, a, "")
	nameB, dirB, _, addrB := deployedApp(t, b, "")
	for _, side := range []struct {
		e              *env
		dir, own, addr string
		other          string
	}{{a, dirA, nameA, addrA, nameB}, {b, dirB, nameB, addrB, nameA}} {
		out := shell(t, side.e, side.dir, fmt.Sprintf("nslookup %s.flycast\nnslookup %s.flycast\nhget -s 'http://%[1]s.flycast/?format=json'\n", side.own, side.other))
		for _, want := range []string{"Server:\t\tfdaa::3", "Address: " + side.addr, "can't find " + side.other + ".flycast", `"server_name":"`} {
			if !strings.Contains(out, want) {
				t.Errorf("shell machine of %s lacks %q:\n%s", side.own, want, out)
			}
		}
	}
	for name, addr := range map[string]string{nameA: addrA, nameB: addrB} {
		waitFor(t, name+".flycast on the host", func() bool { return strings.Contains(getent(name+".flycast"), addr) })
	}
	a.must(dirA, "agent", "stop")
	out := shell(t, b, dirB, fmt.Sprintf("nslookup %s.flycast\n", nameB))
	if !strings.Contains(out, "Address: "+addrB) {
		t.Errorf("after the other agent stopped, %s's machine lost its DNS:\n%s", nameB, out)
	}
}

// TestKilledAgentsBlockIsCleanedByAnyAgent: the names, the isolation table and the routes of an agent
// killed with SIGKILL do not outlive it for long: the next agent to start on the host, of
// any installation, removes them.
func TestKilledAgentsBlockIsCleanedByAnyAgent(t *testing.T) {
	needEngine(t)
	needRoot(t)
	a, b := newEnv(t), newEnv(t)
	name, _, _, addr := deployedApp(t, a, "")
	waitFor(t, name+".flycast on the host", func() bool { return strings.Contains(getent(name+".flycast"), addr) })
	inst := installationID(t, a)
	killAgent(t, a)
	b.must(b.work, "agent", "start")
	if blk := hostsBlock(t, inst); blk != "" {
		t.Errorf("another agent started and the killed agent's block is still there:\n%s", blk)
	}
	if tables, _ := exec.Command("nft", "list", "tables").Output(); strings.Contains(string(tables), "hangar_"+inst) {
		t.Errorf("another agent started and the killed agent's isolation table is still there:\n%s", tables)
	}
	route := netip.PrefixFrom(netip.MustParseAddr(addr), 80).Masked().String()
	if routes, _ := exec.Command("ip", "-6", "route", "show", "table", "local").Output(); strings.Contains(string(routes), route) {
		t.Errorf("another agent started and the killed agent's route %s is still there", route)
	}
}
