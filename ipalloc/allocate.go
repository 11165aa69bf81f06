package ipalloc

import (
	"fmt"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"
)

// sweepBatch is how many released entries each Allocate inspects for
// expiry. Releases never outnumber allocations, so two per allocation keep
// the released bucket close to the number of addresses still in grace.
const sweepBatch = 2

// Allocate hands the next free address to owner inside tx, which must be
// writable. Addresses are handed out in order from a persisted cursor, so
// a released address only comes back after the cursor has wrapped around
// the range, and never within Grace of its release. A full range returns
// ErrExhausted.
func (p *Pool) Allocate(tx *bbolt.Tx, owner string, now time.Time) (netip.Addr, error) {
	s, err := p.span()
	if err != nil {
		return netip.Addr{}, err
	}
	b, err := createBuckets(tx, s.name())
	if err != nil {
		return netip.Addr{}, fmt.Errorf("allocating from %s: %w", s.prefix, err)
	}
	a, err := p.search(b, s, now)
	if err != nil {
		return netip.Addr{}, err
	}
	if err := p.take(b, a, owner, now); err != nil {
		return netip.Addr{}, err
	}
	return a, p.advance(b, s, a, now)
}

// advance moves the cursor past a and purges a few expired releases.
func (p *Pool) advance(b buckets, s span, a netip.Addr, now time.Time) error {
	if err := b.meta.Put(cursorKey, key(s.after(a))); err != nil {
		return fmt.Errorf("allocating %s: %w", a, err)
	}
	return p.sweep(b, s, now)
}

// AllocateAddr hands addr itself to owner inside tx, which must be
// writable. It fails with ErrOutOfRange, ErrReserved, ErrInUse (even when
// owner already holds it) or ErrInGrace, and leaves the cursor alone.
func (p *Pool) AllocateAddr(tx *bbolt.Tx, addr netip.Addr, owner string, now time.Time) error {
	s, err := p.span()
	if err != nil {
		return err
	}
	if err := p.allowed(s, addr); err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	b, err := createBuckets(tx, s.name())
	if err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	if err := p.free(b, addr, now); err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	return p.take(b, addr, owner, now)
}

// allowed checks what needs no lookup: the range and the reserved set.
func (p *Pool) allowed(s span, addr netip.Addr) error {
	if !s.prefix.Contains(addr) {
		return fmt.Errorf("%w %s", ErrOutOfRange, s.prefix)
	}
	if p.isReserved(s, addr) {
		return ErrReserved
	}
	return nil
}

// free checks that addr is neither live nor in its grace period.
func (p *Pool) free(b buckets, addr netip.Addr, now time.Time) error {
	if v := b.used.Get(key(addr)); v != nil {
		owner, _, _ := decodeLease(v)
		return fmt.Errorf("%w to %q", ErrInUse, owner)
	}
	if v := b.released.Get(key(addr)); v != nil && p.inGrace(v, now) {
		t, _ := decodeTime(v)
		return fmt.Errorf("%w: released at %s, grace %s", ErrInGrace, t.Format(time.RFC3339), p.Grace)
	}
	return nil
}

// take records addr as owner's and forgets its old release.
func (p *Pool) take(b buckets, addr netip.Addr, owner string, now time.Time) error {
	if err := b.used.Put(key(addr), encodeLease(owner, now)); err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	if err := b.released.Delete(key(addr)); err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	if err := putCount(b.meta, getCount(b.meta)+1); err != nil {
		return fmt.Errorf("allocating %s: %w", addr, err)
	}
	return nil
}
