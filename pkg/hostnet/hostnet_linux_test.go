package hostnet

import (
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/hangarhq/hangar/pkg/hostnet/netnstest"
)

// inNewNetns runs f in a network namespace of the test's own.
var inNewNetns = netnstest.Run

func flagsOf(t *testing.T, link netlink.Link, a netip.Addr) int {
	addrs, err := netlink.AddrList(link, netlink.FAMILY_V6)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range addrs {
		if ip, _ := netip.AddrFromSlice(x.IP); ip == a {
			return x.Flags
		}
	}
	t.Fatalf("%s is not on %s", a, link.Attrs().Name)
	return 0
}

// TestSkipGatewayDAD makes a bridge like Docker's (up, no port yet, so its address waits
// for DAD) and checks the address is usable afterwards.
func TestSkipGatewayDAD(t *testing.T) {
	inNewNetns(t, func() {
		br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: "hgtest0"}}
		if err := netlink.LinkAdd(br); err != nil {
			t.Fatal(err)
		}
		gw := netip.MustParsePrefix("fdaa:0:2a:a7b::1/64")
		link, _ := netlink.LinkByName("hgtest0")
		if err := netlink.AddrAdd(link, &netlink.Addr{IPNet: ipNet(gw)}); err != nil {
			t.Fatal(err)
		}
		netlink.LinkSetUp(link)
		if flagsOf(t, link, gw.Addr())&unix.IFA_F_TENTATIVE == 0 {
			t.Fatal("the set-up is wrong: the address should start tentative")
		}
		if err := SkipGatewayDAD("hgtest0", gw); err != nil {
			t.Fatal(err)
		}
		flags := flagsOf(t, link, gw.Addr())
		if flags&unix.IFA_F_TENTATIVE != 0 || flags&unix.IFA_F_NODAD == 0 {
			t.Errorf("flags after = %#x, want nodad and not tentative", flags)
		}
		if err := SkipGatewayDAD("hgtest0", gw); err != nil {
			t.Errorf("second call: %v", err)
		}
	})
}

func TestSkipGatewayDADUnknownBridge(t *testing.T) {
	inNewNetns(t, func() {
		if err := SkipGatewayDAD("nope0", netip.MustParsePrefix("fdaa::1/64")); err == nil {
			t.Error("no error for a missing bridge")
		}
	})
}
