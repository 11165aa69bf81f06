package hostnet

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// AddLocalRoute makes the host accept traffic for every address of prefix, as
// `ip -6 route replace local <prefix> dev lo src <src>` does: machines reach Flycast
// addresses through their default route to the host, and the proxy, listening on [::],
// sees the Flycast address as the connection's local address. src (when valid, an
// address of the host) is the source of the host's own connections to the range: the
// organization's resolver address, so they come from inside the organization and not
// from whichever fdaa:: address the kernel would pick (another organization's bridge,
// which may go away under an open connection). A route that exists is replaced.
func AddLocalRoute(prefix netip.Prefix, src netip.Addr) error {
	r := localRoute(prefix)
	if src.IsValid() {
		r.Src = src.AsSlice()
	}
	if err := netlink.RouteReplace(r); err != nil {
		return privilege(fmt.Errorf("adding local route %s: %w", prefix, err))
	}
	return nil
}

// RemoveLocalRoute takes back what AddLocalRoute added; a missing route is not an error.
func RemoveLocalRoute(prefix netip.Prefix) error {
	err := netlink.RouteDel(localRoute(prefix))
	if errors.Is(err, unix.ESRCH) || errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return privilege(fmt.Errorf("removing local route %s: %w", prefix, err))
	}
	return nil
}

// HasLocalRoute reports whether the local table routes prefix to this host.
func HasLocalRoute(prefix netip.Prefix) (bool, error) {
	filter := localRoute(prefix)
	routes, err := netlink.RouteListFiltered(netlink.FAMILY_V6, filter, netlink.RT_FILTER_TABLE|netlink.RT_FILTER_DST|netlink.RT_FILTER_TYPE)
	return len(routes) > 0, err
}

func localRoute(prefix netip.Prefix) *netlink.Route {
	lo, _ := netlink.LinkByName("lo")
	r := &netlink.Route{Dst: ipNet(prefix.Masked()), Type: unix.RTN_LOCAL, Table: unix.RT_TABLE_LOCAL, Scope: unix.RT_SCOPE_HOST}
	if lo != nil {
		r.LinkIndex = lo.Attrs().Index
	}
	return r
}

// AddLoopbackAddr puts addr on lo (so a server can bind it, as the DNS server binds
// fdaa::3). It reports whether it added the address: one that is there already belongs
// to someone else (another agent), who will remove it.
func AddLoopbackAddr(addr netip.Addr) (added bool, err error) {
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		return false, fmt.Errorf("finding lo: %w", err)
	}
	a := &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(addr, addr.BitLen())), Flags: unix.IFA_F_NODAD}
	err = netlink.AddrAdd(lo, a)
	if errors.Is(err, unix.EEXIST) {
		return false, nil
	}
	return err == nil, privilege(err)
}

// RemoveLoopbackAddr takes back what AddLoopbackAddr added.
func RemoveLoopbackAddr(addr netip.Addr) error {
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("finding lo: %w", err)
	}
	err = netlink.AddrDel(lo, &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(addr, addr.BitLen()))})
	if errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.ENOENT) {
		return nil
	}
	return privilege(err)
}
