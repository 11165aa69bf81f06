package hostnet

import (
	"net"
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
)

// TestLinkLivesWithItsHolder: the device carries a usable address (a socket binds it and
// LinksByAddr finds it) and is gone once closed, as it is when the agent dies.
func TestLinkLivesWithItsHolder(t *testing.T) {
	inNewNetns(t, func() {
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		l, err := OpenLink("hgr-test")
		if err != nil {
			t.Fatal(err)
		}
		a := netip.MustParseAddr("fdaa:1:2::3")
		if err := l.AddAddr(a); err != nil {
			t.Fatal(err)
		}
		if err := l.AddAddr(a); err != nil {
			t.Fatalf("adding the address again: %v", err)
		}
		pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, 0)))
		if err != nil {
			t.Fatalf("binding the link's address: %v", err)
		}
		pc.Close()
		links, err := LinksByAddr()
		if got := links[a]; err != nil || got != (LinkRef{"hgr-test", l.Index()}) {
			t.Fatalf("LinksByAddr()[%s] = %v %v, want hgr-test %d", a, got, err, l.Index())
		}
		l.Close()
		if _, err := netlink.LinkByName("hgr-test"); err == nil {
			t.Fatal("the device outlived its holder")
		}
		if links, _ := LinksByAddr(); links[a] != (LinkRef{}) {
			t.Fatal("the address outlived the device")
		}
	})
}
