package ipalloc

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// DefaultGrace is how long a released address stays out of circulation,
// so that peers holding a stale DNS answer or connection do not reach the
// address's next owner.
const DefaultGrace = 24 * time.Hour

// minPoolBits keeps every offset inside a range within 64 bits.
const minPoolBits = 64

// Pool allocates single addresses from one range. It holds no state of its
// own: everything lives in the bbolt transaction passed to each method,
// whose write lock serialises allocations between goroutines and, through
// the file lock, between processes. One Pool per range; a Pool is safe for
// concurrent use as long as its fields are not changed.
type Pool struct {
	// Prefix is the range, between a /64 and a /128.
	Prefix netip.Prefix
	// Grace is how long a released address is not handed out again.
	Grace time.Duration

	reserved []netip.Addr // sorted
}

// Lease is one allocated address.
type Lease struct {
	Addr  netip.Addr
	Owner string
	Since time.Time
}

// NewPool returns a pool over prefix that never hands out the given
// reserved addresses. It also always skips fdaa::3, the organization's
// fdaa:<n1>:<n2>::3 and, in ranges wider than /127, the first address: the
// subnet-router anycast address of RFC 4291 (RFC 6164 drops it for /127).
func NewPool(prefix netip.Prefix, grace time.Duration, reserved ...netip.Addr) *Pool {
	rs := slices.Clone(reserved)
	slices.SortFunc(rs, netip.Addr.Compare)
	return &Pool{Prefix: prefix.Masked(), Grace: grace, reserved: slices.Compact(rs)}
}

// NewFlycastPool returns the pool of org's Flycast range. Besides ::0 it
// keeps back ::1, so the first app gets fdaa:<n1>:<n2>:0:1::2 and the
// counter then climbs like Fly's (::2, ::3, …).
func NewFlycastPool(org netip.Prefix, grace time.Duration) *Pool {
	r := FlycastRange(org)
	return NewPool(r, grace, r.Addr().Next())
}

// NewMachinePool returns the pool of org's machine subnet. It keeps back
// ::0 and the gateway ::1, which Docker gives the bridge itself, so the
// first machine gets fdaa:<n1>:<n2>:a7b::2, as Docker would.
func NewMachinePool(org netip.Prefix, grace time.Duration) *Pool {
	return NewPool(MachineSubnet(org), grace, MachineGateway(org))
}

// span is a pool's checked range.
type span struct {
	prefix      netip.Prefix
	first, last netip.Addr
}

func (p *Pool) span() (span, error) {
	r := p.Prefix.Masked()
	if !r.IsValid() || !r.Addr().Is6() || r.Bits() < minPoolBits {
		return span{}, fmt.Errorf("%w: pool range %s is not an IPv6 prefix from /%d to /128",
			ErrInvalidPrefix, p.Prefix, minPoolBits)
	}
	return span{prefix: r, first: r.Addr(), last: lastAddr(r)}, nil
}

// name is the pool's bucket name.
func (s span) name() []byte { return []byte(s.prefix.String()) }

// after returns the address following a, wrapping to the range's start.
func (s span) after(a netip.Addr) netip.Addr {
	if a == s.last {
		return s.first
	}
	return a.Next()
}

// isReserved reports whether a is never handed out.
func (p *Pool) isReserved(s span, a netip.Addr) bool {
	if a == dnsAddr || (a == s.first && s.prefix.Bits() < 127) {
		return true
	}
	if org := OrgOf(a); org.IsValid() && a == OrgDNSAddr(org) {
		return true
	}
	_, found := slices.BinarySearchFunc(p.reserved, a, netip.Addr.Compare)
	return found
}

// inGrace reports whether a released entry's time is less than Grace
// before now. An unreadable entry counts as recent: the safe direction.
func (p *Pool) inGrace(v []byte, now time.Time) bool {
	t, ok := decodeTime(v)
	return !ok || now.Sub(t) < p.Grace
}
