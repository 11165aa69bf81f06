package proxy

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/hangarhq/hangar/ipalloc"
)

// admit is the proxy's own check that organizations stay apart, behind the host's
// packet filter: a caller from an fdaa::/16 address outside the app's organization is
// refused with ErrOtherOrg. Loopback, the host's other addresses and every address of
// the host itself are admitted, fdaa:: ones included: the host reaches every
// organization, and its connections to a Flycast address often come from fdaa::3 or
// from another organization's gateway address.
func admit(svc Service, caller netip.Addr) error {
	caller = caller.Unmap()
	if !svc.Org.IsValid() || !ipalloc.ULARange().Contains(caller) || svc.Org.Contains(caller) || isHostAddr(caller) {
		return nil
	}
	return fmt.Errorf("%w: app %s serves organization network %s only, and %s is outside it", ErrOtherOrg, svc.App, svc.Org, caller)
}

// isHostAddr reports whether a is one of this host's addresses: only those can be
// bound without IPV6_FREEBIND. It costs a socket, and runs only for callers that are
// about to be refused otherwise.
func isHostAddr(a netip.Addr) bool {
	c, err := net.ListenPacket("udp6", netip.AddrPortFrom(a, 0).String())
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
