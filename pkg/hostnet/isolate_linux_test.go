package hostnet

import (
	"net/netip"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/nftables"

	goldenfile "github.com/hangarhq/hangar/internal/golden"
)

var (
	orgA = netip.MustParsePrefix("fdaa:1:1::/48")
	orgB = netip.MustParsePrefix("fdaa:2:2::/48")
)

const testTable = "hangar_test"

// TestIsolateOrgsTable lists what IsolateOrgs made, as the library and nft see it, and
// checks that a second call replaces the rules and that removing leaves nothing.
func TestIsolateOrgsTable(t *testing.T) {
	inNewNetns(t, func() {
		if err := IsolateOrgs("hangar_other", []netip.Prefix{orgB}); err != nil {
			t.Fatal(err) // another installation's table, which must stay as it is
		}
		if err := IsolateOrgs(testTable, []netip.Prefix{orgA, orgB}); err != nil {
			t.Fatal(err)
		}
		checkChains(t, map[string]int{"forward": 4, "input": 7})
		checkIntact(t, []netip.Prefix{orgA, orgB}, true)
		checkIntact(t, []netip.Prefix{orgA}, false)
		golden(t, "isolation.nft", nftList(t))

		if err := IsolateOrgs(testTable, []netip.Prefix{orgA}); err != nil {
			t.Fatal(err)
		}
		checkChains(t, map[string]int{"forward": 2, "input": 5})
		checkIntact(t, []netip.Prefix{orgA}, true)

		for range 2 { // removing twice is not an error
			if err := RemoveIsolation(testTable); err != nil {
				t.Fatal(err)
			}
		}
		if names := tableNames(t); !cmp.Equal(names, []string{"hangar_other"}) {
			t.Errorf("tables after removal = %v, want only the other installation's", names)
		}
		checkIntact(t, nil, true)
		if ok, err := IsolationIntact("hangar_other", []netip.Prefix{orgB}); err != nil || !ok {
			t.Errorf("the other installation's table: intact = %v, %v", ok, err)
		}
	})
}

// TestIsolationIntactNoticesChanges is what lets the agent put back rules that someone
// flushed or deleted.
func TestIsolationIntactNoticesChanges(t *testing.T) {
	inNewNetns(t, func() {
		orgs := []netip.Prefix{orgA}
		if err := IsolateOrgs(testTable, orgs); err != nil {
			t.Fatal(err)
		}
		c, _ := nftables.New()
		table := &nftables.Table{Name: testTable, Family: nftables.TableFamilyINet}
		c.FlushChain(&nftables.Chain{Name: "forward", Table: table})
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
		checkIntact(t, orgs, false)
		c.DelTable(table)
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
		checkIntact(t, orgs, false)
		if err := IsolateOrgs(testTable, orgs); err != nil {
			t.Fatal(err)
		}
		checkIntact(t, orgs, true)
	})
}

func checkChains(t *testing.T, want map[string]int) {
	t.Helper()
	c, _ := nftables.New()
	table := &nftables.Table{Name: testTable, Family: nftables.TableFamilyINet}
	chains, err := c.ListChainsOfTableFamily(nftables.TableFamilyINet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, ch := range chains {
		if ch.Table.Name != testTable {
			continue
		}
		if ch.Policy == nil || *ch.Policy != nftables.ChainPolicyAccept || ch.Type != nftables.ChainTypeFilter {
			t.Errorf("chain %s: policy %v type %q, want an accepting filter chain", ch.Name, ch.Policy, ch.Type)
		}
		hook := map[string]*nftables.ChainHook{"forward": nftables.ChainHookForward, "input": nftables.ChainHookInput}[ch.Name]
		if hook == nil || ch.Hooknum == nil || *ch.Hooknum != *hook {
			t.Errorf("chain %s hooks %v", ch.Name, ch.Hooknum)
		}
		rules, err := c.GetRules(table, ch)
		if err != nil {
			t.Fatal(err)
		}
		got[ch.Name] = len(rules)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules per chain (-want +got):\n%s", diff)
	}
}

func checkIntact(t *testing.T, orgs []netip.Prefix, want bool) {
	t.Helper()
	ok, err := IsolationIntact(testTable, orgs)
	if err != nil {
		t.Fatal(err)
	}
	if ok != want {
		t.Errorf("IsolationIntact(%v) = %v, want %v", orgs, ok, want)
	}
}

func tableNames(t *testing.T) []string {
	c, _ := nftables.New()
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	return names
}

// nftList is the table as a user sees it with nft, run in the test's namespace (a child
// started from this locked thread inherits it).
func nftList(t *testing.T) string {
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("no nft command to compare with")
	}
	out, err := exec.Command("nft", "list", "table", "inet", testTable).CombinedOutput()
	if err != nil {
		t.Fatalf("nft list: %v: %s", err, out)
	}
	return string(out)
}

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t *testing.T, name, got string) { t.Helper(); goldenfile.Check(t, name, []byte(got)) }
