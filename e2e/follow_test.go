package e2e

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"
)

// answers reports whether something accepts TCP connections on addr (an IPv6 literal)
// at port 80.
func answers(addr string) bool {
	c, err := net.DialTimeout("tcp", "["+addr+"]:80", time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// TestListenersFollowState: a second Flycast address is listened on once allocated and
// not any more once released; a destroyed app's address stops answering at once, without
// waiting for an agent restart.
func TestListenersFollowState(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir, _, addr := deployedApp(t, e, "")
	e.must(dir, "ips", "allocate-v6", "--private")
	var ips []struct{ Address string }
	json.Unmarshal([]byte(e.must(dir, "ips", "list", "--json").stdout), &ips)
	second := ""
	for _, ip := range ips {
		if ip.Address != addr {
			second = ip.Address
		}
	}
	if second == "" {
		t.Fatalf("no second address in %+v", ips)
	}
	waitFor(t, "the new address to answer", func() bool { return answers(second) })
	e.must(dir, "ips", "release", second)
	waitFor(t, "the released address to stop answering", func() bool { return !answers(second) })
	if !answers(addr) {
		t.Fatal("the first address stopped answering too")
	}
	e.must(dir, "apps", "destroy", "-y", name)
	waitFor(t, "the destroyed app's address to stop answering", func() bool { return !answers(addr) })
	if log := readFile(t, e.home+"/agent.log"); !strings.Contains(log, "proxy no longer listening") {
		t.Error("the agent did not log that it stopped listening")
	}
}
