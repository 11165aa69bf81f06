package ipalloc

import (
	"fmt"
	"net/netip"

	"go.etcd.io/bbolt"
)

// Check verifies the pool's stored state: every live and released address
// is in range and readable, none is reserved, none is both live and
// released, and the counter matches. It reads every entry, so it is meant
// for tests and repair tools, not for each request.
func (p *Pool) Check(tx *bbolt.Tx) error {
	s, err := p.span()
	if err != nil {
		return err
	}
	b, ok := lookupBuckets(tx, s.name())
	if !ok {
		return nil
	}
	live, err := p.checkUsed(b, s)
	if err != nil {
		return fmt.Errorf("checking %s: %w", s.prefix, err)
	}
	if n := getCount(b.meta); n != live {
		return fmt.Errorf("checking %s: %w: counter says %d live, used holds %d", s.prefix, ErrCorrupt, n, live)
	}
	if err := p.checkReleased(b, s); err != nil {
		return fmt.Errorf("checking %s: %w", s.prefix, err)
	}
	return nil
}

func (p *Pool) checkUsed(b buckets, s span) (uint64, error) {
	var n uint64
	err := b.used.ForEach(func(k, v []byte) error {
		n++
		l, err := decodeEntry(k, v)
		if err != nil {
			return err
		}
		return p.checkAddr(s, l.Addr, "live")
	})
	return n, err
}

func (p *Pool) checkReleased(b buckets, s span) error {
	return b.released.ForEach(func(k, v []byte) error {
		a, ok := keyAddr(k)
		if _, ok2 := decodeTime(v); !ok || !ok2 {
			return fmt.Errorf("%w: unreadable release %x", ErrCorrupt, k)
		}
		if b.used.Get(k) != nil {
			return fmt.Errorf("%w: %s is both live and released", ErrCorrupt, a)
		}
		return p.checkAddr(s, a, "released")
	})
}

func (p *Pool) checkAddr(s span, a netip.Addr, state string) error {
	if !s.prefix.Contains(a) {
		return fmt.Errorf("%w: %s address %s is out of range", ErrCorrupt, state, a)
	}
	if p.isReserved(s, a) {
		return fmt.Errorf("%w: %s address %s is reserved", ErrCorrupt, state, a)
	}
	return nil
}
