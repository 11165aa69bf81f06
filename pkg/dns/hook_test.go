package dns

import (
	"context"
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
	}
	if err := wait(context.Background(), &h.hooks); err != nil {
		t.Fatal(err)
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
	if err := wait(context.Background(), &h.hooks); err != nil {
		t.Fatal(err)
	}
}
