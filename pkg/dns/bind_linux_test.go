package dns

import (
	"net"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/hangarhq/hangar/pkg/hostnet/netnstest"
)

// TestBindsShareAnAddressAcrossDevices: two servers (two installations) answer the
// same address on different devices, a second socket on one device is refused, and the
// one bound to lo answers the host's own queries.
func TestBindsShareAnAddressAcrossDevices(t *testing.T) {
	inNetns(t, func() {
		addr := netip.MustParseAddrPort("[fdaa:9::3]:53")
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		ip := netip.PrefixFrom(addr.Addr(), 128)
		if err := netlink.AddrAdd(lo, &netlink.Addr{IPNet: ipNetOf(ip), Flags: unix.IFA_F_NODAD}); err != nil {
			t.Fatal(err)
		}
		if err := netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "hgA"}, PeerName: "hgB"}); err != nil {
			t.Fatal(err)
		}
		first, second := NewServer(NewHandler(testCatalog(), nil), nil), NewServer(NewHandler(testCatalog(), nil), nil)
		defer first.Shutdown(t.Context())
		defer second.Shutdown(t.Context())
		for _, step := range []struct {
			s    *Server
			b    Bind
			fail bool
		}{
			{first, Bind{addr, "hgA"}, false},
			{second, Bind{addr, "hgB"}, false},
			{second, Bind{addr, "hgA"}, true},
			{first, Bind{addr, "lo"}, false},
		} {
			if err := step.s.Add(step.b); (err != nil) != step.fail {
				t.Fatalf("Add(%s) = %v, want failure %v", step.b, err, step.fail)
			}
		}
		m := new(dns.Msg)
		m.SetQuestion("web.flycast.", dns.TypeAAAA)
		for _, network := range []string{"udp", "tcp"} {
			c := &dns.Client{Net: network}
			_, _, err := c.Exchange(m, addr.String())
			if err != nil { // the catalog refuses this caller: any answer shows who listens
				t.Fatalf("%s query to %s on lo: %v", network, addr, err)
			}
		}
		first.Remove(Bind{addr, "hgA"})
		if err := second.Add(Bind{addr, "hgA"}); err != nil {
			t.Fatalf("after Remove, the device is still taken: %v", err)
		}
	})
}

// inNetns runs f in a network namespace of the test's own.
var inNetns = netnstest.Run

func ipNetOf(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
