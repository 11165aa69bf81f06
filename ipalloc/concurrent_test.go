package ipalloc

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestConcurrentAllocationsAreUnique(t *testing.T) {
	const workers, each = 8, 250
	p := NewFlycastPool(testOrg, DefaultGrace)
	db := newDB(t, p)
	got := make([][]netip.Addr, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				err := db.Update(func(tx *bbolt.Tx) error {
					a, err := p.Allocate(tx, fmt.Sprintf("w%d-%d", w, i), time.Now())
					got[w] = append(got[w], a)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	seen := map[netip.Addr]int{}
	for w, addrs := range got {
		for _, a := range addrs {
			if prev, dup := seen[a]; dup {
				t.Fatalf("%s handed to worker %d and worker %d", a, prev, w)
			}
			seen[a] = w
		}
	}
	if n := count(t, db, p); len(seen) != workers*each || n != workers*each {
		t.Errorf("%d distinct addresses, Count %d, want %d", len(seen), n, workers*each)
	}
}
