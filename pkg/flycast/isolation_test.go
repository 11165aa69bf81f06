package flycast

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestIsolatedOrgs(t *testing.T) {
	personal, acme, idle := netip.MustParsePrefix("fdaa:9:9::/48"), netip.MustParsePrefix("fdaa:1:2::/48"), netip.MustParsePrefix("fdaa:5:5::/48")
	tests := []struct {
		name string
		snap *snapshot
		want []netip.Prefix
	}{
		{"no organizations", &snapshot{}, nil},
		{"an organization without apps has no network to isolate",
			&snapshot{orgs: []orgEntry{{"idle", idle}}}, nil},
		{"organizations with apps, in address order",
			&snapshot{orgs: []orgEntry{{"personal", personal}, {"idle", idle}, {"acme", acme}},
				apps: map[string]appEntry{"web": {org: "personal"}, "api": {org: "acme"}, "db": {org: "acme"}}},
			[]netip.Prefix{acme, personal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, isolatedOrgs(tt.snap), cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
				t.Errorf("isolatedOrgs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrgPrefixReachesTheProxy(t *testing.T) {
	acme := netip.MustParsePrefix("fdaa:1:2::/48")
	s := &snapshot{orgs: []orgEntry{{"acme", acme}}}
	if got := s.orgPrefix("acme"); got != acme {
		t.Errorf("orgPrefix(acme) = %s", got)
	}
	if got := s.orgPrefix("nobody"); got.IsValid() {
		t.Errorf("orgPrefix(nobody) = %s, want none", got)
	}
}
