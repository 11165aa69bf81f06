package hostnet

import (
	"net"
	"net/netip"
	"os"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// TestIsolationDropsOtherOrgs sends real packets. The test's namespace plays the host:
// it forwards between veth links to namespaces that play machines, as the host forwards
// between Docker bridges, and carries Flycast addresses and fdaa::3 on lo. Each case is
// tried before the rules (everything answers, so a case that passes by accident is
// caught), with them, and after they are removed.
func TestIsolationDropsOtherOrgs(t *testing.T) {
	inNewNetns(t, func() {
		host, err := netns.Get()
		if err != nil {
			t.Fatal(err)
		}
		defer host.Close()
		sysctl(t, "/proc/sys/net/ipv6/conf/all/forwarding", "1")
		lo, _ := netlink.LinkByName("lo")
		netlink.LinkSetUp(lo)
		a := machineNS(t, host, "a", "fdaa:1:1:a7b::1/64") // org A's machine
		a2 := machineNS(t, host, "c", "fdaa:1:1:b::1/64")  // org A, another subnet of its /48
		b := machineNS(t, host, "b", "fdaa:2:2:a7b::1/64") // org B's machine
		d := machineNS(t, host, "d", "fdaa:3:3:a7b::1/64") // an organization the table does not know
		flycastA, flycastB := hostAddr(t, lo, "fdaa:1:1:0:1::5"), hostAddr(t, lo, "fdaa:2:2:0:1::5")
		dnsAddr := hostAddr(t, lo, "fdaa::3")
		cases := []struct {
			name     string
			from     netns.NsHandle
			src      netip.Addr // the host's connections choose their source
			to       netip.AddrPort
			isolated bool // dropped while the rules are in place
		}{
			{"A to B's machine", a.ns, netip.Addr{}, listen(t, b), true},
			{"B to A's machine", b.ns, netip.Addr{}, listen(t, a), true},
			{"A to its own org's other subnet", a.ns, netip.Addr{}, listen(t, a2), false},
			{"A to an unknown org's machine", a.ns, netip.Addr{}, listen(t, d), true},
			{"an unknown org to A's machine", d.ns, netip.Addr{}, listen(t, a), true},
			{"A to its own Flycast address", a.ns, netip.Addr{}, listenHost(t, flycastA, 0), false},
			{"A to B's Flycast address", a.ns, netip.Addr{}, listenHost(t, flycastB, 0), true},
			{"B to the DNS server", b.ns, netip.Addr{}, listenHost(t, dnsAddr, 53), false},
			{"B to fdaa::3 on another port", b.ns, netip.Addr{}, listenHost(t, dnsAddr, 0), true},
			{"the host to B's machine", host, netip.Addr{}, listen(t, b), false},
			{"the host to B's Flycast address from A's gateway", host, netip.MustParseAddr("fdaa:1:1:a7b::1"), listenHost(t, flycastB, 0), false},
		}
		check := func(phase string, rules bool) {
			for _, c := range cases {
				want := !(rules && c.isolated)
				if got := reaches(t, c.from, c.src, c.to, want); got != want {
					t.Errorf("%s: %s (%s) connects = %v, want %v", phase, c.name, c.to, got, want)
				}
			}
		}
		check("before the rules", false)
		if err := IsolateOrgs(testTable, []netip.Prefix{orgA, orgB}); err != nil {
			t.Fatal(err)
		}
		check("with the rules", true)
		if err := RemoveIsolation(testTable); err != nil {
			t.Fatal(err)
		}
		check("after removal", false)
	})
}

// machine is a namespace standing for one machine, behind its own link to the host.
type machine struct {
	ns   netns.NsHandle
	addr netip.Addr
}

// machineNS makes a namespace joined to the host's namespace by a veth pair; the host's
// end holds gateway (like a bridge's gateway address), the machine's end the next address.
func machineNS(t *testing.T, host netns.NsHandle, name, gateway string) machine {
	gw := netip.MustParsePrefix(gateway)
	ns, err := netns.New() // also moves this thread into it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	if err := netns.Set(host); err != nil {
		t.Fatal(err)
	}
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "h-" + name}, PeerName: "m-" + name, PeerNamespace: netlink.NsFd(ns)}
	if err := netlink.LinkAdd(veth); err != nil {
		t.Fatal(err)
	}
	addUp(t, nil, "h-"+name, gw)
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	m := machine{ns: ns, addr: gw.Addr().Next()}
	addUp(t, h, "m-"+name, netip.PrefixFrom(m.addr, gw.Bits()))
	route := &netlink.Route{Gw: gw.Addr().AsSlice()}
	if err := h.RouteAdd(route); err != nil {
		t.Fatalf("default route in %s: %v", name, err)
	}
	return m
}

// addUp puts an address (without duplicate detection, so it is usable at once) on a
// link of the handle's namespace, or of the thread's when h is nil, and sets it up.
func addUp(t *testing.T, h *netlink.Handle, name string, p netip.Prefix) {
	if h == nil {
		h = &netlink.Handle{}
	}
	link, err := h.LinkByName(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.AddrAdd(link, &netlink.Addr{IPNet: ipNet(p), Flags: unix.IFA_F_NODAD}); err != nil {
		t.Fatal(err)
	}
	if err := h.LinkSetUp(link); err != nil {
		t.Fatal(err)
	}
}

func hostAddr(t *testing.T, lo netlink.Link, s string) netip.Addr {
	a := netip.MustParseAddr(s)
	if err := netlink.AddrAdd(lo, &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(a, 128)), Flags: unix.IFA_F_NODAD}); err != nil {
		t.Fatal(err)
	}
	return a
}

// listen accepts connections at the machine's address, in its namespace.
func listen(t *testing.T, m machine) netip.AddrPort {
	var ap netip.AddrPort
	inNS(t, m.ns, func() { ap = listenHost(t, m.addr, 0) })
	return ap
}

// listenHost accepts connections in the thread's namespace; the kernel completes the
// handshake, so nobody needs to call Accept.
func listenHost(t *testing.T, a netip.Addr, port uint16) netip.AddrPort {
	ln, err := net.Listen("tcp6", netip.AddrPortFrom(a, port).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return netip.MustParseAddrPort(ln.Addr().String())
}

// reaches reports whether a TCP connection from a namespace completes. The rules drop,
// so a blocked connection times out; one expected to connect is tried again for a few
// seconds, as the first packets to a new link wait for neighbour discovery.
func reaches(t *testing.T, from netns.NsHandle, src netip.Addr, to netip.AddrPort, expect bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok := dial(t, from, src, to)
		if ok || !expect || time.Now().After(deadline) {
			return ok
		}
	}
}

func dial(t *testing.T, from netns.NsHandle, src netip.Addr, to netip.AddrPort) bool {
	var err error
	inNS(t, from, func() {
		d := net.Dialer{Timeout: 300 * time.Millisecond}
		if src.IsValid() {
			d.LocalAddr = net.TCPAddrFromAddrPort(netip.AddrPortFrom(src, 0))
		}
		var c net.Conn
		if c, err = d.Dial("tcp6", to.String()); err == nil {
			c.Close()
		}
	})
	return err == nil
}

// inNS runs f on this goroutine's thread in ns, then puts the thread back.
func inNS(t *testing.T, ns netns.NsHandle, f func()) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	origin, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer origin.Close()
	if err := netns.Set(ns); err != nil {
		t.Fatal(err)
	}
	defer netns.Set(origin)
	f()
}

func sysctl(t *testing.T, path, value string) {
	if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
		t.Fatal(err)
	}
}
