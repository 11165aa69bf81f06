package flycast

import (
	"log/slog"
	"net/netip"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/hostnames"
)

func testSnapshot() *snapshot {
	org := netip.MustParsePrefix("fdaa:1:2::/48")
	return &snapshot{
		orgs: []orgEntry{{slug: "personal", prefix: org}, {slug: "acme", prefix: netip.MustParsePrefix("fdaa:7:8::/48")}},
		apps: map[string]appEntry{
			"web": {org: "personal", flycast: []netip.Addr{netip.MustParseAddr("fdaa:1:2:0:1::2")}, record: dns.AppRecord{Name: "web",
				Machines: []dns.MachineRecord{{ID: "m1", Addr: netip.MustParseAddr("fdaa:1:2:a7b::2"), Started: true}, {ID: "m2", Addr: netip.MustParseAddr("fdaa:1:2:a7b::3")}}}},
			"db": {org: "acme", flycast: []netip.Addr{netip.MustParseAddr("fdaa:7:8:0:1::2")}, record: dns.AppRecord{Name: "db"}},
		},
	}
}

func TestHostEntries(t *testing.T) {
	want := []hostnames.Entry{
		{Name: "db.flycast", Addrs: []netip.Addr{netip.MustParseAddr("fdaa:7:8:0:1::2")}},
		{Name: "m1.vm.web.internal", Addrs: []netip.Addr{netip.MustParseAddr("fdaa:1:2:a7b::2")}},
		{Name: "m2.vm.web.internal", Addrs: []netip.Addr{netip.MustParseAddr("fdaa:1:2:a7b::3")}},
		{Name: "web.flycast", Addrs: []netip.Addr{netip.MustParseAddr("fdaa:1:2:0:1::2")}},
		{Name: "web.internal", Addrs: []netip.Addr{netip.MustParseAddr("fdaa:1:2:a7b::2")}},
	}
	if diff := cmp.Diff(want, hostEntries(testSnapshot()), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("hostEntries (-want +got):\n%s", diff)
	}
	if got := testSnapshot().resolvers(); len(got) != 2 || got[0] != netip.MustParseAddr("fdaa:1:2::3") || got[1] != netip.MustParseAddr("fdaa:7:8::3") {
		t.Errorf("resolvers = %v", got)
	}
}

// TestOrgOfHostCallers: the host (loopback, fdaa::3, an organization's resolver address)
// sees every organization's apps; a machine sees only its own organization's.
func TestOrgOfHostCallers(t *testing.T) {
	ix := &Index{}
	ix.snap.Store(testSnapshot())
	for _, tt := range []struct {
		caller, org string
		web, db     bool
	}{
		{"::1", hostOrg, true, true},
		{"127.0.0.1", hostOrg, true, true},
		{"fdaa::3", hostOrg, true, true},
		{"fdaa:7:8::3", hostOrg, true, true},
		{"fdaa:1:2:a7b::9", "personal", true, false},
		{"fdaa:7:8:a7b::9", "acme", false, true},
	} {
		org, ok := ix.OrgOf(netip.MustParseAddr(tt.caller))
		_, web := ix.App(org, "web")
		_, db := ix.App(org, "db")
		if !ok || org != tt.org || web != tt.web || db != tt.db {
			t.Errorf("caller %s: org %q %v, web %v db %v; want %q, web %v db %v", tt.caller, org, ok, web, db, tt.org, tt.web, tt.db)
		}
	}
	if _, ok := ix.OrgOf(netip.MustParseAddr("fdaa:5:5:a7b::2")); ok {
		t.Error("a caller of no organization was placed")
	}
}

// recordingPublisher counts publishes and blocks each one until released.
type recordingPublisher struct {
	mu      sync.Mutex
	got     [][]hostnames.Entry
	entered chan struct{}
	release chan struct{}
	closed  bool
}

func (r *recordingPublisher) publish(e []hostnames.Entry, _ []netip.Addr) error {
	r.entered <- struct{}{}
	<-r.release
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, e)
	return nil
}

func (r *recordingPublisher) close() error { r.closed = true; return nil }

// TestNamesPublishesTheNewest: while one publish is slow, many updates collapse into one
// more publish of the newest names; close waits for the publisher and closes it.
func TestNamesPublishesTheNewest(t *testing.T) {
	pub := &recordingPublisher{entered: make(chan struct{}, 2), release: make(chan struct{})}
	n := startNames(pub, "test", slog.New(slog.DiscardHandler))
	entry := func(i int) []hostnames.Entry { return []hostnames.Entry{{Name: string(rune('a'+i)) + ".flycast"}} }
	n.set(entry(0), nil)
	<-pub.entered // the first publish is under way
	for i := 1; i <= 20; i++ {
		n.set(entry(i), nil)
	}
	pub.release <- struct{}{}
	<-pub.entered
	pub.release <- struct{}{}
	n.close()
	if len(pub.got) != 2 || pub.got[1][0].Name != "u.flycast" || !pub.closed {
		t.Fatalf("published %v (closed %v), want the first and then only the newest", pub.got, pub.closed)
	}
}

func TestConfigsPrune(t *testing.T) {
	c := configs{"web/1": nil, "web/3": nil, "db/2": nil, "gone/5": nil}
	c.prune(map[string]appEntry{"web": {}, "db": {}})
	if len(c) != 2 || c["web/3"] != nil || c["db/2"] != nil {
		t.Errorf("after prune: %v, want web/3 and db/2", c)
	}
	if _, ok := c["web/3"]; !ok {
		t.Error("the newest release of web was dropped")
	}
}
