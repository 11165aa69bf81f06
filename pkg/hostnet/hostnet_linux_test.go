package hostnet

import (
	"net/netip"
	"os"
	goruntime "runtime"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inNewNetns runs f on this goroutine's thread inside a fresh network namespace, which
// disappears (with everything made in it) when the test ends.
func inNewNetns(t *testing.T, f func()) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test needs root to create a network namespace")
		}
		t.Skip("needs root to create a network namespace")
	}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	origin, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer origin.Close()
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	defer netns.Set(origin)
	f()
}

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
