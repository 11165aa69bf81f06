package e2e

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestOrgIsolation: with apps in two organizations, a shell machine of the first
// reaches its own app on the 6PN and Flycast addresses and nothing of the second's,
// while the host reaches both. The agent's nftables table holds both organizations,
// survives Docker rewriting its own rules, is put back when flushed and replaced after
// an agent kill -9, goes with the agent on stop, and goes when the last app is destroyed.
func TestOrgIsolation(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	nameA, dirA, idA, flyA := deployedApp(t, e, "") // organization personal
	org := fmt.Sprintf("e2e-org-%d", rand.IntN(1e6))
	nameB, dirB := launchAppIn(t, e, org)
	e.must(dirB, "deploy", "--ha=false", "--wait-timeout", "60s")
	sixA, sixB, flyB := machines(t, e, dirA)[0].PrivateIP, machines(t, e, dirB)[0].PrivateIP, flycastAddr(t, e, dirB)
	table := "hangar_" + installationOf(t, org)
	prefixA, prefixB := orgPrefix(t, sixA), orgPrefix(t, sixB)

	rules := nftTable(t, table)
	for _, p := range []string{prefixA, prefixB} {
		if !strings.Contains(rules, p+": machines reach no other organization") {
			t.Fatalf("table inet %s has no rules for %s:\n%s", table, p, rules)
		}
	}
	dockerNetworkChurn(t)
	if got := nftTable(t, table); got != rules {
		t.Errorf("Docker making and removing a network changed the table:\n%s\nwas:\n%s", got, rules)
	}

	out := shell(t, e, dirA, fmt.Sprintf(`hget -s -t 5s 'http://[%s]:80/?format=json' && echo own-6pn-ok
hget -s -t 5s 'http://[%s]/?format=json' && echo own-flycast-ok
nslookup %s.flycast >/dev/null && echo dns-ok
hget -s -t 2s 'http://[%s]:80/' >/dev/null && echo other-6pn-answered
hget -s -t 2s 'http://[%s]/' >/dev/null && echo other-flycast-answered
ping -c1 -W2 %[4]s >/dev/null && echo other-6pn-pinged
ping -c1 -W2 %[5]s >/dev/null && echo other-flycast-pinged
echo done
`, sixA, flyA, nameA, sixB, flyB))
	for _, want := range []string{"own-6pn-ok", "own-flycast-ok", "dns-ok", `"server_name":"` + idA + `"`, "done"} {
		if !strings.Contains(out, want) {
			t.Errorf("from a shell machine of personal, %q is missing:\n%s", want, out)
		}
	}
	var leaks []string
	for _, bad := range []string{"other-6pn-answered", "other-flycast-answered", "other-6pn-pinged", "other-flycast-pinged"} {
		if strings.Contains(out, bad) {
			leaks = append(leaks, strings.TrimPrefix(bad, "other-"))
		}
	}
	if len(leaks) > 0 {
		t.Errorf("from a shell machine of personal, organization %s %s:\n%s", org, strings.Join(leaks, ", "), out)
	}

	if code, _ := getHost(t, "http://["+flyB+"]:80/", nameB+".flycast"); code != http.StatusOK {
		t.Errorf("the host gets %d from %s's Flycast address", code, org)
	}
	if code, _ := getHost(t, "http://["+sixB+"]:80/", nameB+".internal"); code != http.StatusOK {
		t.Errorf("the host gets %d from %s's machine", code, org)
	}

	flushForward(t, table)
	waitFor(t, "the agent to put back the rules someone flushed", func() bool { return nftTable(t, table) == rules })
	killAgent(t, e)
	flushForward(t, table) // what a killed agent left is not what the next one wants
	e.must(dirA, "status")
	waitFor(t, "the next agent to replace the table", func() bool { return nftTable(t, table) == rules })
	e.must(dirA, "agent", "stop") // returns once the API is gone; the plane closes after it
	waitFor(t, "the table to go with the agent", func() bool { return !hasTable(t, table) })
	e.must(dirA, "status")
	waitFor(t, "the table to come back with the agent", func() bool { return nftTable(t, table) == rules })

	e.must(dirB, "apps", "destroy", "-y", nameB)
	waitFor(t, "the rules of "+org+" to go", func() bool { return !strings.Contains(nftTable(t, table), prefixB) })
	e.must(dirA, "apps", "destroy", "-y", nameA)
	waitFor(t, "the table to go with the last app", func() bool { return !hasTable(t, table) })
}

// launchAppIn launches the hello image as an app of org (created on the way, as
// `fly launch --org` does) and destroys it when the test ends.
func launchAppIn(t *testing.T, e *env, org string) (name, dir string) {
	name = fmt.Sprintf("e2e-%d", rand.IntN(1e9))
	dir = e.mkdir(name)
	e.must(dir, "launch", "--image", images.hello, "--flycast", "--internal-port", "80", "--no-deploy", "--yes", "--org", org)
	editForceHTTPS(t, filepath.Join(dir, "fly.toml"))
	t.Cleanup(func() { e.run(dir, "apps", "destroy", "-y", name) })
	return name, dir
}

// installationOf reads the installation ID off the Docker network of org, named
// hangar-<org>-<installation>.
func installationOf(t *testing.T, org string) string {
	out, err := exec.Command("docker", "network", "ls", "--format", "{{.Name}}", "--filter", "name=hangar-"+org+"-").Output()
	if err != nil {
		t.Fatalf("docker network ls: %v", err)
	}
	names := strings.Fields(string(out))
	if len(names) != 1 {
		t.Fatalf("networks of %s: %q", org, names)
	}
	return strings.TrimPrefix(names[0], "hangar-"+org+"-")
}

func orgPrefix(t *testing.T, addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		t.Fatal(err)
	}
	return netip.PrefixFrom(a, 48).Masked().String()
}

var counters = regexp.MustCompile(`counter packets \d+ bytes \d+`)

// nftTable is the table as nft prints it, without its counters; "" when it is missing.
func nftTable(t *testing.T, table string) string {
	out, err := exec.Command("nft", "list", "table", "inet", table).Output()
	if err != nil {
		return ""
	}
	return counters.ReplaceAllString(string(out), "counter")
}

func hasTable(t *testing.T, table string) bool {
	out, err := exec.Command("nft", "list", "tables").Output()
	if err != nil {
		t.Fatalf("nft list tables: %v", err)
	}
	return strings.Contains(string(out), "table inet "+table+"\n")
}

func flushForward(t *testing.T, table string) {
	if out, err := exec.Command("nft", "flush", "chain", "inet", table, "forward").CombinedOutput(); err != nil {
		t.Fatalf("nft flush chain: %v\n%s", err, out)
	}
}

// dockerNetworkChurn makes Docker rewrite its own iptables chains, as it does for every
// network it makes and removes.
func dockerNetworkChurn(t *testing.T) {
	name := fmt.Sprintf("e2e-churn-%d", time.Now().UnixNano()%1e9)
	if out, err := exec.Command("docker", "network", "create", name).CombinedOutput(); err != nil {
		t.Fatalf("docker network create: %v\n%s", err, out)
	}
	defer exec.Command("docker", "network", "rm", name).Run()
	if out, err := exec.Command("docker", "network", "rm", name).CombinedOutput(); err != nil {
		t.Fatalf("docker network rm: %v\n%s", err, out)
	}
}
