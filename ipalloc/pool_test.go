package ipalloc

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

func TestAllocateOrder(t *testing.T) {
	tests := []struct {
		name      string
		pool      *Pool
		want      []string
		exhausted bool
	}{
		{"flycast starts at ::2", NewFlycastPool(testOrg, DefaultGrace),
			[]string{"fdaa:0:2a:0:1::2", "fdaa:0:2a:0:1::3", "fdaa:0:2a:0:1::4"}, false},
		{"machines start at ::2", NewMachinePool(testOrg, DefaultGrace),
			[]string{"fdaa:0:2a:a7b::2", "fdaa:0:2a:a7b::3"}, false},
		{"org DNS address skipped", NewPool(netip.MustParsePrefix("fdaa:0:2a::/120"), 0),
			[]string{"fdaa:0:2a::1", "fdaa:0:2a::2", "fdaa:0:2a::4"}, false},
		{"fdaa::3 skipped", NewPool(netip.MustParsePrefix("fdaa::/126"), 0),
			[]string{"fdaa::1", "fdaa::2"}, true},
		{"caller's reserved skipped", NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/126"), 0,
			netip.MustParseAddr("fdaa:0:2a:0:1::2"), netip.MustParseAddr("fdaa:0:2a:0:1::2")),
			[]string{"fdaa:0:2a:0:1::1", "fdaa:0:2a:0:1::3"}, true},
		{"/127 has no anycast address", NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/127"), 0),
			[]string{"fdaa:0:2a:0:1::", "fdaa:0:2a:0:1::1"}, true},
		{"/128", NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::9/128"), 0),
			[]string{"fdaa:0:2a:0:1::9"}, true},
		{"top of the address space", NewPool(netip.MustParsePrefix("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"), 0),
			[]string{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
				"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}, true},
		{"top /64", NewPool(netip.MustParsePrefix("ffff:ffff:ffff:ffff::/64"), 0),
			[]string{"ffff:ffff:ffff:ffff::1", "ffff:ffff:ffff:ffff::2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t, tt.pool)
			var got []string
			for range tt.want {
				got = append(got, mustAllocate(t, db, tt.pool, "app", t0).String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("addresses (-want +got, addrCmp):\n%s", diff)
			}
			_, err := allocate(t, db, tt.pool, "app", t0)
			if tt.exhausted != errors.Is(err, ErrExhausted) {
				t.Errorf("next allocation: %v, want exhausted=%v", err, tt.exhausted)
			}
		})
	}
}

func TestAllocateDoesNotReuseBeforeWrap(t *testing.T) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a::/124"), 0)
	db := newDB(t, p)
	first := mustAllocate(t, db, p, "a", t0)
	if err := release(t, db, p, first, t0); err != nil {
		t.Fatal(err)
	}
	var got []netip.Addr
	for range 14 { // ::2 … ::f minus ::3, then ::1 again after the wrap
		got = append(got, mustAllocate(t, db, p, "b", t0))
	}
	if got[0] == first {
		t.Errorf("released %s handed out again before the cursor wrapped", first)
	}
	if last := got[len(got)-1]; last != first {
		t.Errorf("after the wrap got %s, want %s", last, first)
	}
}

func TestGracePeriod(t *testing.T) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/126"), time.Hour)
	db := newDB(t, p)
	for range 3 {
		mustAllocate(t, db, p, "app", t0)
	}
	freed := mustParse(t, "fdaa:0:2a:0:1::2")
	if err := release(t, db, p, freed, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := allocate(t, db, p, "app", t0.Add(time.Hour-time.Nanosecond)); !errors.Is(err, ErrExhausted) {
		t.Fatalf("inside grace: %v, want ErrExhausted", err)
	}
	if got := mustAllocate(t, db, p, "app", t0.Add(time.Hour)); got != freed {
		t.Fatalf("after grace got %s, want %s", got, freed)
	}
}

func TestExhaustedFullRange(t *testing.T) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/120"), time.Hour)
	db := newDB(t, p)
	for range 255 {
		mustAllocate(t, db, p, "app", t0)
	}
	done := make(chan error)
	go func() {
		_, err := allocate(t, db, p, "app", t0)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrExhausted) {
			t.Fatalf("full range: %v, want ErrExhausted", err)
		}
	case <-time.After(10 * time.Second): // a hang detector, not a timing
		t.Fatal("Allocate on a full range did not return")
	}
}

func TestExhaustedByGrace(t *testing.T) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/120"), time.Hour)
	db := newDB(t, p)
	for range 255 {
		a := mustAllocate(t, db, p, "app", t0)
		if err := release(t, db, p, a, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := allocate(t, db, p, "app", t0.Add(time.Minute)); !errors.Is(err, ErrExhausted) {
		t.Fatalf("every address in grace: %v, want ErrExhausted", err)
	}
	if n := count(t, db, p); n != 0 {
		t.Errorf("Count = %d, want 0", n)
	}
}

func TestAllocateAddr(t *testing.T) {
	p := NewMachinePool(testOrg, time.Hour)
	tests := []struct {
		name string
		addr string
		now  time.Time
		want error
	}{
		{"free", "fdaa:0:2a:a7b::9", t0, nil},
		{"highest", "fdaa:0:2a:a7b:ffff:ffff:ffff:ffff", t0, nil},
		{"live", "fdaa:0:2a:a7b::2", t0, ErrInUse},
		{"in grace", "fdaa:0:2a:a7b::3", t0.Add(time.Minute), ErrInGrace},
		{"grace over", "fdaa:0:2a:a7b::3", t0.Add(time.Hour), nil},
		{"gateway", "fdaa:0:2a:a7b::1", t0, ErrReserved},
		{"subnet anycast", "fdaa:0:2a:a7b::", t0, ErrReserved},
		{"other subnet", "fdaa:0:2a:a7c::2", t0, ErrOutOfRange},
		{"IPv4", "10.0.0.2", t0, ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t, p)
			mustAllocate(t, db, p, "web", t0)
			released := mustAllocate(t, db, p, "old", t0)
			if err := release(t, db, p, released, t0); err != nil {
				t.Fatal(err)
			}
			err := db.Update(func(tx *bbolt.Tx) error {
				return p.AllocateAddr(tx, mustParse(t, tt.addr), "db", tt.now)
			})
			if !errors.Is(err, tt.want) {
				t.Fatalf("AllocateAddr(%s) = %v, want %v", tt.addr, err, tt.want)
			}
		})
	}
}

func TestAllocateSkipsPinnedAddress(t *testing.T) {
	p := NewFlycastPool(testOrg, DefaultGrace)
	db := newDB(t, p)
	pinned := mustParse(t, "fdaa:0:2a:0:1::2")
	if err := db.Update(func(tx *bbolt.Tx) error { return p.AllocateAddr(tx, pinned, "pinned", t0) }); err != nil {
		t.Fatal(err)
	}
	if got := mustAllocate(t, db, p, "next", t0); got.String() != "fdaa:0:2a:0:1::3" {
		t.Errorf("got %s, want the address after the pinned one", got)
	}
}

func TestRelease(t *testing.T) {
	p := NewFlycastPool(testOrg, DefaultGrace)
	tests := []struct {
		name  string
		addr  string
		setup int // allocations before the release
		want  error
	}{
		{"live", "fdaa:0:2a:0:1::2", 1, nil},
		{"never allocated", "fdaa:0:2a:0:1::9", 1, ErrNotAllocated},
		{"empty pool", "fdaa:0:2a:0:1::2", 0, ErrNotAllocated},
		{"out of range", "fdaa:0:2a:a7b::2", 1, ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t, p)
			for range tt.setup {
				mustAllocate(t, db, p, "app", t0)
			}
			if err := release(t, db, p, mustParse(t, tt.addr), t0); !errors.Is(err, tt.want) {
				t.Fatalf("Release = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReleaseTwice(t *testing.T) {
	p := NewFlycastPool(testOrg, DefaultGrace)
	db := newDB(t, p)
	a := mustAllocate(t, db, p, "app", t0)
	if err := release(t, db, p, a, t0); err != nil {
		t.Fatal(err)
	}
	if err := release(t, db, p, a, t0); !errors.Is(err, ErrNotAllocated) {
		t.Fatalf("second Release = %v, want ErrNotAllocated", err)
	}
}

func TestListOwnerCount(t *testing.T) {
	p := NewFlycastPool(testOrg, DefaultGrace)
	db := newDB(t, p)
	for i, owner := range []string{"web", "api", "db"} {
		mustAllocate(t, db, p, owner, t0.Add(time.Duration(i)*time.Second))
	}
	if err := release(t, db, p, mustParse(t, "fdaa:0:2a:0:1::3"), t0); err != nil {
		t.Fatal(err)
	}
	want := []Lease{
		{mustParse(t, "fdaa:0:2a:0:1::2"), "web", t0},
		{mustParse(t, "fdaa:0:2a:0:1::4"), "db", t0.Add(2 * time.Second)},
	}
	err := db.View(func(tx *bbolt.Tx) error {
		got, err := p.List(tx)
		if diff := cmp.Diff(want, got, addrCmp); diff != "" {
			t.Errorf("List (-want +got, addrCmp):\n%s", diff)
		}
		if owner, ok := p.Owner(tx, want[1].Addr); !ok || owner != "db" {
			t.Errorf("Owner = %q, %v, want db", owner, ok)
		}
		if owner, ok := p.Owner(tx, mustParse(t, "fdaa:0:2a:0:1::3")); ok {
			t.Errorf("released address still owned by %q", owner)
		}
		if n := p.Count(tx); n != 2 {
			t.Errorf("Count = %d, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadsBeforeFirstAllocation(t *testing.T) {
	p := NewFlycastPool(testOrg, DefaultGrace)
	db := newDB(t, p)
	err := db.View(func(tx *bbolt.Tx) error {
		if _, ok := p.Owner(tx, mustParse(t, "fdaa:0:2a:0:1::2")); ok {
			t.Error("Owner found an address in an empty pool")
		}
		if leases, err := p.List(tx); err != nil || leases == nil || len(leases) != 0 {
			t.Errorf("List = %#v, %v, want an empty slice", leases, err)
		}
		if n := p.Count(tx); n != 0 {
			t.Errorf("Count = %d, want 0", n)
		}
		if _, err := p.Allocate(tx, "app", t0); !errors.Is(err, berrors.ErrTxNotWritable) {
			t.Errorf("Allocate in a read-only tx = %v, want ErrTxNotWritable", err)
		}
		return p.Check(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInvalidPoolRange(t *testing.T) {
	for _, prefix := range []string{"10.0.0.0/24", "fdaa::/63", ""} {
		t.Run(prefix, func(t *testing.T) {
			pr, _ := netip.ParsePrefix(prefix)
			p := NewPool(pr, 0)
			db := newDB(t)
			_, err := allocate(t, db, p, "app", t0)
			if !errors.Is(err, ErrInvalidPrefix) {
				t.Fatalf("Allocate = %v, want ErrInvalidPrefix", err)
			}
			err = db.Update(func(tx *bbolt.Tx) error { return p.AllocateAddr(tx, pr.Addr(), "app", t0) })
			if !errors.Is(err, ErrInvalidPrefix) {
				t.Fatalf("AllocateAddr = %v, want ErrInvalidPrefix", err)
			}
		})
	}
}

func TestSweepPurgesExpiredReleases(t *testing.T) {
	p := NewFlycastPool(testOrg, time.Hour)
	db := newDB(t, p)
	for range 10 {
		a := mustAllocate(t, db, p, "app", t0)
		if err := release(t, db, p, a, t0); err != nil {
			t.Fatal(err)
		}
	}
	mustAllocate(t, db, p, "app", t0.Add(time.Minute))
	if n := releasedKeys(t, db, p); n != 10 {
		t.Fatalf("%d released entries inside grace, want all 10 kept", n)
	}
	for range 5 {
		mustAllocate(t, db, p, "app", t0.Add(2*time.Hour))
	}
	if n := releasedKeys(t, db, p); n != 0 {
		t.Errorf("%d released entries left after grace, want 0", n)
	}
}

func releasedKeys(t *testing.T, db *bbolt.DB, p *Pool) int {
	t.Helper()
	var n int
	err := db.View(func(tx *bbolt.Tx) error {
		s, _ := p.span()
		b, _ := lookupBuckets(tx, s.name())
		n = b.released.Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
