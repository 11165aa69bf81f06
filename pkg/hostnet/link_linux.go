package hostnet

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Link is a network device of the agent's own: a TUN device that exists only while the
// agent holds it open, so it is gone after the agent exits, even by kill -9. It carries
// the installation's host-side DNS addresses and is the link a host resolver (systemd-
// resolved) is told to send Flycast names to. Nothing is ever routed into it: its
// addresses are local, so packets to them are delivered on the host.
type Link struct {
	tun *netlink.Tuntap
}

// OpenLink creates and brings up the device name (at most 15 bytes).
func OpenLink(name string) (*Link, error) {
	if old, err := netlink.LinkByName(name); err == nil {
		// A persistent leftover of the same name (nothing of ours persists): replace it.
		_ = netlink.LinkDel(old)
	}
	tun := &netlink.Tuntap{LinkAttrs: netlink.LinkAttrs{Name: name}, Mode: netlink.TUNTAP_MODE_TUN,
		Queues: 1, Flags: netlink.TUNTAP_NO_PI | netlink.TUNTAP_ONE_QUEUE, NonPersist: true} // Queues > 0 keeps the file open
	if err := netlink.LinkAdd(tun); err != nil {
		return nil, privilege(fmt.Errorf("creating device %s: %w", name, err))
	}
	l := &Link{tun: tun}
	made, err := netlink.LinkByName(tun.Name)
	if err == nil {
		tun.Index = made.Attrs().Index
		err = netlink.LinkSetUp(made)
	}
	if err != nil {
		l.Close()
		return nil, privilege(fmt.Errorf("bringing up %s: %w", name, err))
	}
	return l, nil
}

// Name is the device's name.
func (l *Link) Name() string { return l.tun.Name }

// Index is the device's interface index.
func (l *Link) Index() int { return l.tun.Index }

// AddAddr puts a on the device without duplicate address detection (the address is the
// installation's own, and DAD would hold it for seconds); one already there is fine.
func (l *Link) AddAddr(a netip.Addr) error {
	err := netlink.AddrAdd(l.tun, &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(a, a.BitLen())), Flags: unix.IFA_F_NODAD})
	if errors.Is(err, unix.EEXIST) {
		return nil
	}
	return privilege(err)
}

// Close removes the device (closing its file is enough: it is not persistent).
func (l *Link) Close() error {
	var errs []error
	for _, f := range l.tun.Fds {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// LinksByAddr maps every IPv6 address of the host to the device that carries it (an
// organization bridge by its gateway address), read in one netlink dump.
func LinksByAddr() (map[netip.Addr]LinkRef, error) {
	addrs, err := netlink.AddrList(nil, netlink.FAMILY_V6)
	if err != nil {
		return nil, fmt.Errorf("listing the host's addresses: %w", err)
	}
	names := map[int]string{}
	out := make(map[netip.Addr]LinkRef, len(addrs))
	for _, x := range addrs {
		ip, ok := netip.AddrFromSlice(x.IP)
		if !ok {
			continue
		}
		if _, seen := names[x.LinkIndex]; !seen {
			if link, err := netlink.LinkByIndex(x.LinkIndex); err == nil {
				names[x.LinkIndex] = link.Attrs().Name
			}
		}
		out[ip.Unmap()] = LinkRef{Name: names[x.LinkIndex], Index: x.LinkIndex}
	}
	return out, nil
}
