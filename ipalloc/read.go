package ipalloc

import (
	"fmt"
	"net/netip"

	"go.etcd.io/bbolt"
)

// Owner returns who holds addr. It works in read-only transactions,
// including before the pool's first allocation.
func (p *Pool) Owner(tx *bbolt.Tx, addr netip.Addr) (string, bool) {
	s, err := p.span()
	if err != nil || !s.prefix.Contains(addr) {
		return "", false
	}
	b, ok := lookupBuckets(tx, s.name())
	if !ok {
		return "", false
	}
	owner, _, ok := decodeLease(b.used.Get(key(addr)))
	return owner, ok
}

// List returns the live leases in address order; empty, not nil, when
// there are none.
func (p *Pool) List(tx *bbolt.Tx) ([]Lease, error) {
	s, err := p.span()
	if err != nil {
		return nil, err
	}
	b, ok := lookupBuckets(tx, s.name())
	if !ok {
		return []Lease{}, nil
	}
	leases := make([]Lease, 0, getCount(b.meta))
	err = b.used.ForEach(func(k, v []byte) error {
		l, err := decodeEntry(k, v)
		leases = append(leases, l)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", s.prefix, err)
	}
	return leases, nil
}

func decodeEntry(k, v []byte) (Lease, error) {
	a, ok := keyAddr(k)
	owner, since, ok2 := decodeLease(v)
	if !ok || !ok2 {
		return Lease{}, fmt.Errorf("%w: unreadable lease %x", ErrCorrupt, k)
	}
	return Lease{Addr: a, Owner: owner, Since: since}, nil
}

// Count returns the number of live addresses, kept as a counter so it
// costs one lookup.
func (p *Pool) Count(tx *bbolt.Tx) int {
	s, err := p.span()
	if err != nil {
		return 0
	}
	b, ok := lookupBuckets(tx, s.name())
	if !ok {
		return 0
	}
	return int(getCount(b.meta))
}
