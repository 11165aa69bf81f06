package ipalloc

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// u128 is an IPv6 address as an unsigned 128-bit integer, for the
// arithmetic netip.Addr lacks (it has Next, Prev and Compare).
type u128 struct{ hi, lo uint64 }

func u128From(a netip.Addr) u128 {
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func (u u128) addr() netip.Addr {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], u.hi)
	binary.BigEndian.PutUint64(b[8:], u.lo)
	return netip.AddrFrom16(b)
}

// add returns u+n, wrapping at 2^128.
func (u u128) add(n uint64) u128 {
	lo, carry := bits.Add64(u.lo, n, 0)
	return u128{u.hi + carry, lo}
}

// sub returns u-v, wrapping at 0.
func (u u128) sub(v u128) u128 {
	lo, borrow := bits.Sub64(u.lo, v.lo, 0)
	return u128{u.hi - v.hi - borrow, lo}
}

func (u u128) or(v u128) u128 { return u128{u.hi | v.hi, u.lo | v.lo} }

// hostMask returns ones in the host bits of a prefix of that
// length. Go's shifts by 64 or more give 0, which the arithmetic relies on.
func hostMask(prefixBits int) u128 {
	ones := uint(128 - prefixBits)
	if ones >= 64 {
		return u128{1<<(ones-64) - 1, ^uint64(0)}
	}
	return u128{0, 1<<ones - 1}
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	return u128From(p.Addr()).or(hostMask(p.Bits())).addr()
}

// addAddr returns a+n, wrapping past ffff:…:ffff to ::.
func addAddr(a netip.Addr, n uint64) netip.Addr {
	return u128From(a).add(n).addr()
}

// offsetIn returns a's distance from p's first address; p is at most 64
// host bits wide, so the distance fits.
func offsetIn(p netip.Prefix, a netip.Addr) uint64 {
	return u128From(a).sub(u128From(p.Masked().Addr())).lo
}
