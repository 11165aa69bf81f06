package dns

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"
)

type wakeCall struct {
	Org, App string
	Caller   netip.Addr
}

func TestFlycastLookupHook(t *testing.T) {
	var mu sync.Mutex
	var calls []wakeCall
	h := NewHandler(testCatalog(), nil)
	h.OnFlycastLookup = func(org, app string, caller netip.Addr) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, wakeCall{org, app, caller})
	}
	lookups := []struct {
		caller, name string
		qtype        uint16
	}{
		{loopback, "sleepy.flycast.", dns.TypeAAAA}, // fires
		{loopback, "Sleepy.Flycast.", dns.TypeA},    // fires: an existing name, any type
		{acmeM1, "secret.flycast.", dns.TypeAAAA},   // fires
		{loopback, "ghost.flycast.", dns.TypeAAAA},  // unknown app
		{loopback, "quiet.flycast.", dns.TypeAAAA},  // no Flycast address
		{loopback, "sleepy.internal.", dns.TypeAAAA},
		{loopback, "vms.sleepy.internal.", dns.TypeTXT},
		{stranger, "sleepy.flycast.", dns.TypeAAAA}, // refused
		{acmeM1, "sleepy.flycast.", dns.TypeAAAA},   // another org's name
	}
	for _, l := range lookups {
		ask(t, h, l.caller, false, query(l.name, l.qtype))
		// One call per app runs at a time: let it end before the next lookup.
		if err := wait(context.Background(), &h.hooks.wg); err != nil {
			t.Fatal(err)
		}
	}
	want := []wakeCall{
		{"personal", "sleepy", netip.MustParseAddr(loopback)},
		{"personal", "sleepy", netip.MustParseAddr(loopback)},
		{"acme", "secret", netip.MustParseAddr(acmeM1)},
	}
	mu.Lock()
	defer mu.Unlock()
	less := func(a, b wakeCall) bool { return a.App+a.Caller.String() < b.App+b.Caller.String() }
	if diff := cmp.Diff(want, calls, cmpopts.EquateComparable(netip.Addr{}), cmpopts.SortSlices(less)); diff != "" {
		t.Errorf("hook calls (-want +got):\n%s", diff)
	}
}

func TestFlycastLookupHookDoesNotDelayTheAnswer(t *testing.T) {
	release := make(chan struct{})
	h := NewHandler(testCatalog(), nil)
	h.OnFlycastLookup = func(string, string, netip.Addr) { <-release }
	w := newRecorder(loopback, false)
	served := make(chan struct{})
	go func() {
		h.ServeDNS(w, query("sleepy.flycast.", dns.TypeAAAA))
		close(served)
	}()
	select {
	case <-served:
	case <-time.After(10 * time.Second):
		t.Fatal("ServeDNS waited for a hook that never returns")
	}
	if m := w.reply(t); len(m.Answer) != 1 {
		t.Errorf("answer = %v, want the Flycast address", m.Answer)
	}
	close(release)
	if err := wait(context.Background(), &h.hooks.wg); err != nil {
		t.Fatal(err)
	}
}

// TestFlycastLookupHooksAreBounded: while hooks hang, a flood of lookups runs at most one
// call per app and maxLookupHooks in all, instead of a goroutine per query.
func TestFlycastLookupHooksAreBounded(t *testing.T) {
	c := testCatalog()
	for i := range 2 * maxLookupHooks {
		c.SetApp("personal", AppRecord{Name: fmt.Sprintf("app%d", i), Flycast: addrs(fmt.Sprintf("fdaa:0:2a:0:1::%x", 0x100+i))})
	}
	release := make(chan struct{})
	var mu sync.Mutex
	calls := map[string]int{}
	h := NewHandler(c, nil)
	h.OnFlycastLookup = func(_, app string, _ netip.Addr) {
		mu.Lock()
		calls[app]++
		mu.Unlock()
		<-release
	}
	for range 100 {
		ask(t, h, loopback, false, query("sleepy.flycast.", dns.TypeAAAA))
	}
	for i := range 2 * maxLookupHooks {
		ask(t, h, loopback, false, query(fmt.Sprintf("app%d.flycast.", i), dns.TypeAAAA))
	}
	close(release)
	if err := wait(context.Background(), &h.hooks.wg); err != nil {
		t.Fatal(err)
	}
	total := 0
	for app, n := range calls {
		total += n
		if n > 1 {
			t.Errorf("%s: %d calls ran at once, want 1", app, n)
		}
	}
	if total != maxLookupHooks || calls["sleepy"] != 1 {
		t.Errorf("%d calls ran (sleepy %d), want %d: one for sleepy, the rest for the first other apps", total, calls["sleepy"], maxLookupHooks)
	}
	ask(t, h, loopback, false, query("sleepy.flycast.", dns.TypeAAAA))
	if err := wait(context.Background(), &h.hooks.wg); err != nil {
		t.Fatal(err)
	}
	if calls["sleepy"] != 2 {
		t.Errorf("after the calls ended a lookup ran %d calls for sleepy in all, want 2", calls["sleepy"])
	}
}
