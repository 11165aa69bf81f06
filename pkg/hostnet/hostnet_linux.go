package hostnet

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// SkipGatewayDAD re-adds a bridge's gateway address with duplicate address detection
// off. Docker adds it while the bridge has no port, so detection only starts when the
// first container attaches and holds the address for about 2 s: the first deploy of an
// organization then waits for it (measured 2.5 s → 0.35 s to the first answer). The
// address is ours, from the organization's prefix, so the detection protects nothing.
func SkipGatewayDAD(iface string, gateway netip.Prefix) error {
	link, err := netlink.LinkByName(iface)
	if err != nil {
		return fmt.Errorf("finding bridge %s: %w", iface, err)
	}
	addr := &netlink.Addr{IPNet: ipNet(gateway)}
	if tentative(link, gateway.Addr()) == nil {
		return nil // already usable: nothing to gain
	}
	if err := netlink.AddrDel(link, addr); err != nil {
		return privilege(fmt.Errorf("removing %s from %s: %w", gateway, iface, err))
	}
	addr.Flags = unix.IFA_F_NODAD
	if err := netlink.AddrAdd(link, addr); err != nil {
		return privilege(fmt.Errorf("adding %s to %s without DAD: %w", gateway, iface, err))
	}
	return nil
}

// tentative returns nil when the address is on the link and not waiting for DAD.
func tentative(link netlink.Link, a netip.Addr) error {
	addrs, err := netlink.AddrList(link, netlink.FAMILY_V6)
	if err != nil {
		return err
	}
	for _, x := range addrs {
		if ip, ok := netip.AddrFromSlice(x.IP); ok && ip.Unmap() == a && x.Flags&unix.IFA_F_TENTATIVE == 0 {
			return nil
		}
	}
	return errors.New("tentative or missing")
}

func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

func privilege(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, unix.EPERM) {
		return fmt.Errorf("%w: %v", ErrNoPrivilege, err)
	}
	return err
}
