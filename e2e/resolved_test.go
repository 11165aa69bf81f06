package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/hostnames/resolvedtest"
)

// TestResolvedSplitDNS: where systemd-resolved runs, the agent leaves /etc/hosts alone and
// gives resolved one link of its own with the installation's resolver address and
// routing-only domains for .flycast and for its apps' .internal names only, never all of
// .internal; it reverts the link when it stops. resolved is a fake of the test's own on a
// private bus (this machine runs none), which the real agent finds through
// DBUS_SYSTEM_BUS_ADDRESS as it would find the system bus.
func TestResolvedSplitDNS(t *testing.T) {
	needEngine(t) // for the image launch names
	needRoot(t)
	bus := resolvedtest.Bus(t)
	fake := resolvedtest.Start(t, bus)
	e := newEnv(t)
	e.extraEnv = []string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus}
	hostsBefore, _ := os.ReadFile("/etc/hosts")
	name, dir := launchApp(t, e, images.hello, "")

	domains := fmt.Sprintf("~flycast ~%s.internal", name)
	resolver := orgResolver(t, e, dir)
	link := agentLink(t, resolver)
	want := []string{
		fmt.Sprintf("SetLinkDNS %d 10:%s", link.Index, resolver),
		fmt.Sprintf("SetLinkDomains %d %s", link.Index, domains),
		fmt.Sprintf("SetLinkDefaultRoute %d false", link.Index),
		fmt.Sprintf("SetLinkLLMNR %d no", link.Index),
		fmt.Sprintf("SetLinkMulticastDNS %d no", link.Index),
	}
	calls := fake.WaitUntil(t, "the app's split DNS on the agent's link", func(calls []string) bool {
		for _, w := range want {
			if !slices.Contains(calls, w) {
				return false
			}
		}
		return true
	})
	for _, c := range calls {
		if strings.Contains(c, "~internal") || strings.HasSuffix(c, " internal") {
			t.Errorf("the agent claimed all of .internal: %q", c)
		}
	}
	if after, _ := os.ReadFile("/etc/hosts"); string(after) != string(hostsBefore) {
		t.Errorf("with resolved running, /etc/hosts changed:\n%s", after)
	}
	e.must(dir, "agent", "stop")
	fake.WaitUntil(t, "RevertLink", func(calls []string) bool {
		return slices.Contains(calls, fmt.Sprintf("RevertLink %d", link.Index))
	})
}

// orgResolver is the organization's resolver address fdaa:N:N::3, from orgs list.
func orgResolver(t *testing.T, e *env, dir string) netip.Addr {
	var orgs []struct{ Prefix string }
	json.Unmarshal([]byte(e.must(dir, "orgs", "list", "--json").stdout), &orgs)
	if len(orgs) != 1 {
		t.Fatalf("want one organization, got %+v", orgs)
	}
	return ipalloc.OrgDNSAddr(netip.MustParsePrefix(orgs[0].Prefix))
}

// agentLink is the device that carries the resolver address: the agent's own link,
// once the agent has put the address on it.
func agentLink(t *testing.T, resolver netip.Addr) *net.Interface {
	var found *net.Interface
	waitFor(t, "a hangar link carrying "+resolver.String(), func() bool {
		found = linkWith(resolver)
		return found != nil
	})
	return found
}

func linkWith(a netip.Addr) *net.Interface {
	ifaces, _ := net.Interfaces()
	for _, i := range ifaces {
		addrs, _ := i.Addrs()
		for _, ad := range addrs {
			if p, err := netip.ParsePrefix(ad.String()); err == nil && p.Addr() == a && strings.HasPrefix(i.Name, "hangar") {
				return &i
			}
		}
	}
	return nil
}
