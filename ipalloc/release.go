package ipalloc

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"
)

// Release returns addr to the pool inside tx, which must be writable. The
// address stays out of circulation for Grace after now. An address that is
// not allocated gives ErrNotAllocated.
func (p *Pool) Release(tx *bbolt.Tx, addr netip.Addr, now time.Time) error {
	s, err := p.span()
	if err != nil {
		return err
	}
	if !s.prefix.Contains(addr) {
		return fmt.Errorf("releasing %s: %w %s", addr, ErrOutOfRange, s.prefix)
	}
	b, ok := lookupBuckets(tx, s.name())
	if !ok || b.used.Get(key(addr)) == nil {
		return fmt.Errorf("releasing %s: %w", addr, ErrNotAllocated)
	}
	if err := p.drop(b, addr, now); err != nil {
		return fmt.Errorf("releasing %s: %w", addr, err)
	}
	return nil
}

// drop moves a live address to released; with no grace period there is
// nothing to remember.
func (p *Pool) drop(b buckets, addr netip.Addr, now time.Time) error {
	if err := b.used.Delete(key(addr)); err != nil {
		return err
	}
	if p.Grace > 0 {
		if err := b.released.Put(key(addr), encodeTime(now)); err != nil {
			return err
		}
	}
	return putCount(b.meta, getCount(b.meta)-1)
}

// sweep deletes expired released entries, sweepBatch at a time, resuming
// where the previous sweep stopped. Without it a /80, whose cursor wraps
// only after 2^48 allocations, would keep every release forever.
func (p *Pool) sweep(b buckets, s span, now time.Time) error {
	from := key(getAddr(b.meta, sweepKey, s, s.first))
	c := b.released.Cursor()
	k, v := c.Seek(from)
	var expired [][]byte
	for i := 0; i < sweepBatch && k != nil; i++ {
		if !p.inGrace(v, now) {
			expired = append(expired, bytes.Clone(k))
		}
		k, v = c.Next()
	}
	resume := key(s.first)
	if k != nil {
		resume = bytes.Clone(k)
	}
	if len(expired) == 0 && bytes.Equal(resume, from) {
		return nil
	}
	return p.purge(b, expired, resume)
}

// purge deletes the expired keys and records where the next sweep starts.
func (p *Pool) purge(b buckets, expired [][]byte, resume []byte) error {
	for _, k := range expired {
		if err := b.released.Delete(k); err != nil {
			return fmt.Errorf("purging released addresses: %w", err)
		}
	}
	if err := b.meta.Put(sweepKey, resume); err != nil {
		return fmt.Errorf("purging released addresses: %w", err)
	}
	return nil
}
