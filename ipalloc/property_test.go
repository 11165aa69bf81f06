package ipalloc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"
)

const propBatch = 5000 // operations per bbolt transaction

type propCase struct {
	name     string
	pool     *Pool
	skip     []string // every in-range address the pool must never hand out
	ops      int
	target   int // live addresses the random walk drifts toward
	seed     uint64
	wantWrap bool // wrap-around and reuse after grace must happen
	wantFull bool // ErrExhausted must happen
}

// TestPropertyRandomOps runs 10^6 random operations in total against the
// model: allocations, releases, pinned allocations and bogus releases, with
// a clock that advances up to 2 s per operation.
func TestPropertyRandomOps(t *testing.T) {
	cases := []propCase{
		{"exhausts-120", NewPool(netip.MustParsePrefix("fdaa:0:2a::/120"), time.Minute),
			[]string{"fdaa:0:2a::", "fdaa:0:2a::3"}, 300_000, 220, 1, true, true},
		{"wraps-112", NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/112"), 30*time.Minute,
			netip.MustParseAddr("fdaa:0:2a:0:1::1")),
			[]string{"fdaa:0:2a:0:1::", "fdaa:0:2a:0:1::1"}, 400_000, 2000, 2, true, false},
		{"flycast-80", NewFlycastPool(testOrg, DefaultGrace),
			[]string{"fdaa:0:2a:0:1::", "fdaa:0:2a:0:1::1"}, 300_000, 5000, 3, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() {
				c.ops /= 20
				c.wantWrap = c.wantWrap && c.pool.Prefix.Bits() >= 120
				c.wantFull = false
			}
			runProperty(t, c)
		})
	}
}

type propRun struct {
	p       *Pool
	m       *model
	rng     *rand.Rand
	now     time.Time
	ops     int
	lastRel map[netip.Addr]time.Time // every release ever, never pruned
	stats   struct{ allocs, exhausted, reused, wraps int }
	prev    netip.Addr
}

func runProperty(t *testing.T, c propCase) {
	var skip []netip.Addr
	for _, s := range c.skip {
		skip = append(skip, mustParse(t, s))
	}
	r := &propRun{p: c.pool, m: newModel(c.pool.Prefix, c.pool.Grace, skip),
		rng: rand.New(rand.NewPCG(c.seed, 0)), now: t0, lastRel: map[netip.Addr]time.Time{}}
	db := newDB(t, c.pool)
	for r.ops < c.ops {
		n := min(propBatch, c.ops-r.ops)
		if err := db.Update(func(tx *bbolt.Tx) error { return r.batch(tx, n, c.target) }); err != nil {
			t.Fatalf("seed %d, operation %d: %v", c.seed, r.ops, err)
		}
	}
	r.compareList(t, db)
	t.Logf("%d ops: %d allocations, %d exhausted, %d reused after grace, %d wraps, %d live",
		r.ops, r.stats.allocs, r.stats.exhausted, r.stats.reused, r.stats.wraps, len(r.m.live))
	missed := r.stats.allocs == 0 || (c.wantFull && r.stats.exhausted == 0) ||
		(c.wantWrap && (r.stats.wraps == 0 || r.stats.reused == 0))
	if missed {
		t.Errorf("the random walk missed the paths it is meant to exercise")
	}
}

func (r *propRun) batch(tx *bbolt.Tx, n, target int) error {
	for range n {
		r.ops++
		r.now = r.now.Add(time.Duration(r.rng.Int64N(int64(2 * time.Second))))
		r.m.expire(r.now)
		if err := r.step(tx, target); err != nil {
			return err
		}
		if got, want := r.p.Count(tx), len(r.m.live); got != want {
			return fmt.Errorf("Count = %d, model has %d live", got, want)
		}
	}
	return nil
}

func (r *propRun) step(tx *bbolt.Tx, target int) error {
	bias := 6 // out of 10: allocate more than release below the target
	if len(r.m.live) >= target {
		bias = 4
	}
	switch n := r.rng.IntN(100); {
	case n < 3:
		return r.allocateAddr(tx)
	case n < 5:
		return r.releaseUnknown(tx)
	case len(r.m.live) > 0 && r.rng.IntN(10) >= bias:
		return r.release(tx)
	}
	return r.allocate(tx)
}

func (r *propRun) allocate(tx *bbolt.Tx) error {
	want, ok := r.m.next()
	got, err := r.p.Allocate(tx, strconv.Itoa(r.ops), r.now)
	if !ok {
		r.stats.exhausted++
		if !errors.Is(err, ErrExhausted) {
			return fmt.Errorf("Allocate on a full range = %s, %v; want ErrExhausted", got, err)
		}
		return nil
	}
	if err != nil || got != want {
		return fmt.Errorf("Allocate = %s, %v; want %s", got, err, want)
	}
	if err := r.checkFresh(got); err != nil {
		return err
	}
	r.m.take(got, strconv.Itoa(r.ops))
	r.m.cursor = r.m.after(got)
	return nil
}

// checkFresh states the safety properties directly, apart from the model's
// choice of address.
func (r *propRun) checkFresh(a netip.Addr) error {
	r.stats.allocs++
	if r.prev.IsValid() && a.Less(r.prev) {
		r.stats.wraps++
	}
	r.prev = a
	_, live := r.m.live[a]
	rel, released := r.lastRel[a]
	switch {
	case !r.p.Prefix.Contains(a) || r.m.reserved[a] || live:
		return fmt.Errorf("handed out %s: outside, reserved or live", a)
	case released && r.now.Sub(rel) < r.p.Grace:
		return fmt.Errorf("handed out %s %s after its release", a, r.now.Sub(rel))
	case released:
		r.stats.reused++
	}
	return nil
}

func (r *propRun) release(tx *bbolt.Tx) error {
	a := r.m.liveList[r.rng.IntN(len(r.m.liveList))]
	if err := r.p.Release(tx, a, r.now); err != nil {
		return fmt.Errorf("Release(%s) = %v", a, err)
	}
	r.m.drop(a, r.now)
	r.lastRel[a] = r.now
	return nil
}

// randomAddr picks from the range near the cursor, or just past its end.
func (r *propRun) randomAddr() netip.Addr {
	window := min(offsetIn(r.m.prefix, r.m.cursor)+64, offsetIn(r.m.prefix, r.m.last)+1)
	return addAddr(r.m.first, r.rng.Uint64N(window+1))
}

func (r *propRun) allocateAddr(tx *bbolt.Tx) error {
	a := r.randomAddr()
	want := r.m.wantAddr(a)
	err := r.p.AllocateAddr(tx, a, "pinned", r.now)
	if !errors.Is(err, want) || (want == nil && err != nil) {
		return fmt.Errorf("AllocateAddr(%s) = %v, want %v", a, err, want)
	}
	if err == nil {
		r.m.take(a, "pinned")
	}
	return nil
}

func (r *propRun) releaseUnknown(tx *bbolt.Tx) error {
	a := r.randomAddr()
	if _, live := r.m.live[a]; live {
		return nil
	}
	want := ErrNotAllocated
	if !r.m.prefix.Contains(a) {
		want = ErrOutOfRange
	}
	if err := r.p.Release(tx, a, r.now); !errors.Is(err, want) {
		return fmt.Errorf("Release(%s) = %v, want %v", a, err, want)
	}
	return nil
}

func (r *propRun) compareList(t *testing.T, db *bbolt.DB) {
	got := map[netip.Addr]string{}
	for _, l := range leases(t, db, r.p) {
		got[l.Addr] = l.Owner
	}
	if diff := cmp.Diff(r.m.live, got, addrCmp); diff != "" {
		t.Errorf("List differs from the model (-model +List):\n%s", diff)
	}
}
