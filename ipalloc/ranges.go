package ipalloc

import (
	"fmt"
	"io"
	"net/netip"
)

// Prefix lengths and fixed fields of the address plan. Groups are counted
// from 0: group 3 of a machine address is the a7b tag Fly uses for hosts,
// group 4 of a Flycast address is the pseudo-host 1 behind the proxy.
const (
	orgBits     = 48
	machineBits = 64
	flycastBits = 80
	machineTag  = 0x0a7b
	flycastHost = 0x0001

	// networkIDDraws bounds NewOrgPrefix's retries, so a broken reader that
	// only yields zeros fails instead of spinning.
	networkIDDraws = 4
)

var (
	ulaRange = netip.MustParsePrefix("fdaa::/16")
	dnsAddr  = netip.MustParseAddr("fdaa::3")
)

// ULARange returns fdaa::/16, the unique local range every organization
// prefix is carved from.
func ULARange() netip.Prefix { return ulaRange }

// DNSAddr returns fdaa::3, the fixed resolver address inside machines.
func DNSAddr() netip.Addr { return dnsAddr }

// NewOrgPrefix returns a random organization prefix fdaa:<n1>:<n2>::/48
// whose 32-bit network id is read from r (crypto/rand.Reader in production),
// so two installations are unlikely to collide. The id is never 0:0, whose
// /48 holds fdaa::3.
func NewOrgPrefix(r io.Reader) (netip.Prefix, error) {
	var id [4]byte
	for range networkIDDraws {
		if _, err := io.ReadFull(r, id[:]); err != nil {
			return netip.Prefix{}, fmt.Errorf("reading network id: %w", err)
		}
		if id != [4]byte{} {
			return orgPrefix(id), nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("reading network id: %w: drew 0:0 %d times in a row",
		ErrInvalidPrefix, networkIDDraws)
}

func orgPrefix(id [4]byte) netip.Prefix {
	a := [16]byte{0xfd, 0xaa, id[0], id[1], id[2], id[3]}
	return netip.PrefixFrom(netip.AddrFrom16(a), orgBits)
}

// ValidOrgPrefix reports why p cannot be an organization prefix, or nil.
func ValidOrgPrefix(p netip.Prefix) error {
	switch {
	case !p.IsValid() || !p.Addr().Is6():
		return fmt.Errorf("%w: %s is not an IPv6 prefix", ErrInvalidPrefix, p)
	case p.Bits() != orgBits:
		return fmt.Errorf("%w: %s is not a /48", ErrInvalidPrefix, p)
	case p != p.Masked():
		return fmt.Errorf("%w: %s has bits set past /48", ErrInvalidPrefix, p)
	case !ulaRange.Contains(p.Addr()):
		return fmt.Errorf("%w: %s is outside %s", ErrInvalidPrefix, p, ulaRange)
	case p.Addr() == ulaRange.Addr():
		return fmt.Errorf("%w: %s has network id 0:0, which holds %s", ErrInvalidPrefix, p, dnsAddr)
	}
	return nil
}

// OrgOf returns the /48 organization prefix holding addr, or the zero
// Prefix when addr is outside fdaa::/16.
func OrgOf(addr netip.Addr) netip.Prefix {
	if !ulaRange.Contains(addr) {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(addr, orgBits).Masked()
}

// FlycastRange returns fdaa:<n1>:<n2>:0:1::/80, the organization's Flycast
// addresses (Fly's shape, e.g. fdaa:0:2a:0:1::3). Only the first 48 bits of
// org are used; check it with ValidOrgPrefix.
func FlycastRange(org netip.Prefix) netip.Prefix {
	return netip.PrefixFrom(inOrg(org, 0, flycastHost, 0), flycastBits)
}

// MachineSubnet returns fdaa:<n1>:<n2>:a7b::/64, the Docker bridge network
// subnet the organization's machines are attached to.
func MachineSubnet(org netip.Prefix) netip.Prefix {
	return netip.PrefixFrom(inOrg(org, machineTag, 0, 0), machineBits)
}

// MachineGateway returns fdaa:<n1>:<n2>:a7b::1, the bridge's own address
// and the machines' default route.
func MachineGateway(org netip.Prefix) netip.Addr {
	return inOrg(org, machineTag, 0, 1)
}

// OrgDNSAddr returns fdaa:<n1>:<n2>::3, the resolver's address in the
// organization's own prefix.
func OrgDNSAddr(org netip.Prefix) netip.Addr {
	return inOrg(org, 0, 0, 3)
}

// IsFlycast reports whether addr lies in its organization's Flycast range.
func IsFlycast(addr netip.Addr) bool {
	org := OrgOf(addr)
	return org.IsValid() && FlycastRange(org).Contains(addr)
}

// inOrg builds an address from org's first 48 bits, group 3, group 4 and
// the last byte.
func inOrg(org netip.Prefix, group3, group4 uint16, last byte) netip.Addr {
	a := org.Addr().As16()
	a[6], a[7] = byte(group3>>8), byte(group3)
	a[8], a[9] = byte(group4>>8), byte(group4)
	clear(a[10:])
	a[15] = last
	return netip.AddrFrom16(a)
}
