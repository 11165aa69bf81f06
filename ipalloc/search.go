package ipalloc

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"
)

// search returns the first free address at or after the cursor, wrapping
// to the start of the range once. Each lap step is a stored key or a
// reserved address, so a full range fails after at most one pass over
// what the pool holds, never a pass over the range itself.
func (p *Pool) search(b buckets, s span, now time.Time) (netip.Addr, error) {
	start := getAddr(b.meta, cursorKey, s, s.first)
	if a, ok := p.firstFree(b, s, start, s.last, now); ok {
		return a, nil
	}
	if start != s.first {
		if a, ok := p.firstFree(b, s, s.first, start.Prev(), now); ok {
			return a, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("allocating from %s: %w", s.prefix, ErrExhausted)
}

// firstFree returns the first address in [from, to] that is neither live,
// reserved nor released less than Grace ago. It walks the used and
// released keys in step with the candidate, one bbolt Seek each and then
// Next, so a run of k taken addresses costs O(log n + k).
func (p *Pool) firstFree(b buckets, s span, from, to netip.Addr, now time.Time) (netip.Addr, bool) {
	used, released := seek(b.used, from), seek(b.released, from)
	for a := from; ; a = a.Next() {
		if !p.taken(s, a, used, released, now) {
			return a, true
		}
		if a == to {
			return netip.Addr{}, false
		}
	}
}

func (p *Pool) taken(s span, a netip.Addr, used, released *keyWalk, now time.Time) bool {
	if _, ok := used.at(a); ok {
		return true
	}
	if v, ok := released.at(a); ok && p.inGrace(v, now) {
		return true
	}
	return p.isReserved(s, a)
}

// keyWalk follows one bucket's keys upward in step with a candidate.
type keyWalk struct {
	c    *bbolt.Cursor
	k, v []byte
}

func seek(b *bbolt.Bucket, from netip.Addr) *keyWalk {
	w := &keyWalk{c: b.Cursor()}
	w.k, w.v = w.c.Seek(key(from))
	return w
}

// at returns the value stored under a, if any, stepping past smaller keys.
// Successive calls must not pass a smaller address.
func (w *keyWalk) at(a netip.Addr) ([]byte, bool) {
	k := a.As16()
	for w.k != nil && bytes.Compare(w.k, k[:]) < 0 {
		w.k, w.v = w.c.Next()
	}
	if w.k == nil || !bytes.Equal(w.k, k[:]) {
		return nil, false
	}
	return w.v, true
}
