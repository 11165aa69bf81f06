package hostnet

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

// TestLocalRouteMakesFlycastAddressesLocal: with the route, a listener on [::] accepts a
// connection to any address of the range and sees that address as its local end.
func TestLocalRouteMakesFlycastAddressesLocal(t *testing.T) {
	inNewNetns(t, func() {
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		flycast := netip.MustParsePrefix("fdaa:0:2a:0:1::/80")
		if err := AddLocalRoute(flycast, netip.Addr{}); err != nil {
			t.Fatal(err)
		}
		if err := AddLocalRoute(flycast, netip.Addr{}); err != nil {
			t.Errorf("adding it twice: %v", err)
		}
		if ok, err := HasLocalRoute(flycast); !ok || err != nil {
			t.Fatalf("HasLocalRoute = %v, %v", ok, err)
		}
		ln, err := net.Listen("tcp", "[::]:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		port := ln.Addr().(*net.TCPAddr).Port
		target := netip.AddrPortFrom(netip.MustParseAddr("fdaa:0:2a:0:1::7"), uint16(port))
		// Dial on this thread: other goroutines' threads are outside the namespace.
		// The kernel completes the handshake into the backlog before Accept.
		client, err := net.DialTimeout("tcp", target.String(), 2*time.Second)
		if err != nil {
			t.Fatalf("dialing a Flycast address through the local route: %v", err)
		}
		defer client.Close()
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(2 * time.Second))
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if got := c.LocalAddr().(*net.TCPAddr).AddrPort().Addr(); got != target.Addr() {
			t.Errorf("local address %v, want %v", got, target.Addr())
		}
		if err := RemoveLocalRoute(flycast); err != nil {
			t.Fatal(err)
		}
		if ok, _ := HasLocalRoute(flycast); ok {
			t.Error("route still there after RemoveLocalRoute")
		}
		if err := RemoveLocalRoute(flycast); err != nil {
			t.Errorf("removing it twice: %v", err)
		}
	})
}

func TestLoopbackAddrIsBindable(t *testing.T) {
	inNewNetns(t, func() {
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		dns := netip.MustParseAddr("fdaa::3")
		if added, err := AddLoopbackAddr(dns); !added || err != nil {
			t.Fatalf("AddLoopbackAddr = %v, %v", added, err)
		}
		if added, err := AddLoopbackAddr(dns); added || err != nil {
			t.Errorf("adding it twice = %v, %v; want false, nil", added, err)
		}
		pc, err := net.ListenPacket("udp", "[fdaa::3]:0")
		if err != nil {
			t.Fatalf("binding fdaa::3: %v", err)
		}
		pc.Close()
		if err := RemoveLoopbackAddr(dns); err != nil {
			t.Fatal(err)
		}
		if _, err := net.ListenPacket("udp", "[fdaa::3]:0"); err == nil {
			t.Error("fdaa::3 still bindable after RemoveLoopbackAddr")
		}
	})
}

// TestLocalRouteSourceIsTheOrganizations: the host's own connections to the range come
// from the source given (the organization's resolver address), not from another address
// the kernel would prefer, such as fdaa::3 on lo or another organization's bridge.
func TestLocalRouteSourceIsTheOrganizations(t *testing.T) {
	inNewNetns(t, func() {
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		l, err := OpenLink("hgr-src")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		own := netip.MustParseAddr("fdaa:0:2a::3")
		other := netip.MustParseAddr("fdaa::3")
		if err := l.AddAddr(own); err != nil {
			t.Fatal(err)
		}
		netlink.AddrAdd(lo, &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(other, 128)), Flags: 0x02})
		flycast := netip.MustParsePrefix("fdaa:0:2a:0:1::/80")
		if err := AddLocalRoute(flycast, netip.Addr{}); err != nil {
			t.Fatal(err)
		}
		if err := AddLocalRoute(flycast, own); err != nil { // replaces the one without a source
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "[::]:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		target := netip.AddrPortFrom(netip.MustParseAddr("fdaa:0:2a:0:1::7"), uint16(ln.Addr().(*net.TCPAddr).Port))
		client, err := net.DialTimeout("tcp", target.String(), 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if got := client.LocalAddr().(*net.TCPAddr).AddrPort().Addr(); got != own {
			t.Errorf("the host's connection comes from %v, want %v", got, own)
		}
	})
}
