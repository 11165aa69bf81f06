package e2e

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentLaunches starts 20 `hangar launch` processes at once with no agent running:
// they must start one agent between them and create 20 apps with 20 distinct addresses.
func TestConcurrentLaunches(t *testing.T) {
	const n = 20
	e := newEnv(t)
	var wg sync.WaitGroup
	results := make([]result, n)
	for i := range n {
		dir := e.mkdir(fmt.Sprintf("app-%02d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.run(dir, "launch", "--image", "x", "--flycast", "--no-deploy")
		}()
	}
	wg.Wait()
	seen := map[netip.Addr]string{}
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("launch %d: %v", i, r)
		}
		addr := privateAddr(t, r.stderr)
		if prev, dup := seen[addr]; dup {
			t.Errorf("%s given to both %s and app-%02d", addr, prev, i)
		}
		seen[addr] = fmt.Sprintf("app-%02d", i)
	}
	apps := strings.Fields(e.must(e.work, "apps", "list", "-q").stdout)
	if len(apps) != n || len(seen) != n {
		t.Errorf("%d apps and %d addresses, want %d of each", len(apps), len(seen), n)
	}
}

func privateAddr(t *testing.T, out string) netip.Addr {
	for _, line := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(line, "Private ipv6: "); ok {
			return netip.MustParseAddr(s)
		}
	}
	t.Fatalf("no private address in:\n%s", out)
	return netip.Addr{}
}
