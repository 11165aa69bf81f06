package ipalloc

import (
	stdcmp "cmp"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	removeBenchDirs()
	os.Exit(code)
}

var (
	// addrCmp lets go-cmp compare netip values, whose fields are unexported.
	addrCmp = cmp.Options{
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	}
	testOrg = netip.MustParsePrefix("fdaa:0:2a::/48")
	t0      = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
)

// newDB opens a fresh database that is checked, with the pools given,
// when the test ends.
func newDB(t testing.TB, pools ...*Pool) *bbolt.DB {
	t.Helper()
	return openDB(t, filepath.Join(t.TempDir(), "state.db"), pools...)
}

// openDB opens path without fsync, as tests need no durability against
// power loss, and checks it on cleanup unless the test closed it itself.
func openDB(t testing.TB, path string, pools ...*Pool) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeDB(t, db, pools...) })
	return db
}

// closeDB checks bbolt's own invariants and each pool's, then closes db.
func closeDB(t testing.TB, db *bbolt.DB, pools ...*Pool) {
	t.Helper()
	err := db.View(func(tx *bbolt.Tx) error {
		var first error
		for err := range tx.Check() { // drain, or the checker goroutine leaks
			first = stdcmp.Or(first, err)
		}
		if first != nil {
			return first
		}
		for _, p := range pools {
			if err := p.Check(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return
	}
	if err != nil {
		t.Errorf("database inconsistent: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Error(err)
	}
}

func mustParse(t testing.TB, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// allocate runs one Allocate in its own transaction.
func allocate(t testing.TB, db *bbolt.DB, p *Pool, owner string, now time.Time) (netip.Addr, error) {
	t.Helper()
	var a netip.Addr
	err := db.Update(func(tx *bbolt.Tx) (err error) {
		a, err = p.Allocate(tx, owner, now)
		return err
	})
	return a, err
}

func mustAllocate(t testing.TB, db *bbolt.DB, p *Pool, owner string, now time.Time) netip.Addr {
	t.Helper()
	a, err := allocate(t, db, p, owner, now)
	if err != nil {
		t.Fatalf("allocating for %s: %v", owner, err)
	}
	return a
}

func release(t testing.TB, db *bbolt.DB, p *Pool, a netip.Addr, now time.Time) error {
	t.Helper()
	return db.Update(func(tx *bbolt.Tx) error { return p.Release(tx, a, now) })
}

func count(t testing.TB, db *bbolt.DB, p *Pool) int {
	t.Helper()
	var n int
	if err := db.View(func(tx *bbolt.Tx) error { n = p.Count(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
