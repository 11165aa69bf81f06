package dns

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStaticCatalogOrgOf(t *testing.T) {
	c := testCatalog()
	c.AddCallers(netip.MustParsePrefix("fdaa:0:99::/48"), "acme")
	tests := []struct {
		caller string
		org    string
		ok     bool
	}{
		{"127.0.0.1", "personal", true},
		{"127.0.0.53", "personal", true},
		{"::1", "personal", true},
		{"::ffff:127.0.0.1", "personal", true},
		{webM1, "personal", true},
		{webM3, "personal", true}, // stopped machines still belong to their org
		{acmeM1, "acme", true},
		{"fdaa:0:99:ffff::5", "acme", true}, // by prefix
		{"fe80::1%eth0", "", false},
		{stranger, "", false},
		{"192.0.2.1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.caller, func(t *testing.T) {
			org, ok := c.OrgOf(netip.MustParseAddr(tt.caller))
			if org != tt.org || ok != tt.ok {
				t.Errorf("OrgOf = %q, %v; want %q, %v", org, ok, tt.org, tt.ok)
			}
		})
	}
}

func TestStaticCatalogWithoutDefaultOrgRefusesLoopback(t *testing.T) {
	if org, ok := NewStaticCatalog("").OrgOf(netip.MustParseAddr("::1")); ok {
		t.Errorf("OrgOf(::1) = %q, want unknown", org)
	}
}

func TestStaticCatalogUpdates(t *testing.T) {
	c := testCatalog()
	c.SetApp("personal", AppRecord{Name: "Web"}) // replaces web, machines and all
	if _, ok := c.OrgOf(netip.MustParseAddr(webM1)); ok {
		t.Error("a removed machine's address still maps to an org")
	}
	if a, ok := c.App("personal", "web"); !ok || len(a.Machines) != 0 {
		t.Errorf("App(web) = %+v, %v; want the new record", a, ok)
	}
	c.RemoveApp("personal", "SLEEPY")
	if diff := cmp.Diff([]string{"quiet", "web"}, c.Apps("personal")); diff != "" {
		t.Errorf("Apps (-want +got):\n%s", diff)
	}
}
