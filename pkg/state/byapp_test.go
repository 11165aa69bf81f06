package state

import (
	"fmt"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// TestMachinesReadOnlyTheirApp: listing one app's machines must not decode another
// app's records; a damaged record of b shows that a read of a touches it.
func TestMachinesReadOnlyTheirApp(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	mustCreate(t, s, "b", true)
	mine := mustMachine(t, s, "a")
	other := mustMachine(t, s, "b")
	restore := damage(t, s, bucketMachines, other.ID)
	defer restore()
	ms, err := s.Machines("a")
	if err != nil || len(ms) != 1 || ms[0].ID != mine.ID {
		t.Errorf("Machines(a) = %v, %v; want only %s, without reading b's records", ms, err, mine.ID)
	}
}

// TestIPsReadOnlyTheirApp: the same for an app's addresses.
func TestIPsReadOnlyTheirApp(t *testing.T) {
	s := openTest(t)
	_, mine := mustCreate(t, s, "a", true)
	_, other := mustCreate(t, s, "b", true)
	restore := damage(t, s, bucketIPs, other[0].Addr.String())
	defer restore()
	ips, err := s.IPs("a")
	if err != nil || len(ips) != 1 || ips[0].Addr != mine[0].Addr {
		t.Errorf("IPs(a) = %v, %v; want only %s, without reading b's records", ips, err, mine[0].Addr)
	}
}

// damage overwrites a record with bytes that do not decode, and returns how to put it back.
func damage(t *testing.T, s *Store, bucket []byte, key string) (restore func()) {
	t.Helper()
	var saved []byte
	err := s.db.Update(func(tx *bbolt.Tx) error {
		saved = append([]byte(nil), tx.Bucket(bucket).Get([]byte(key))...)
		return tx.Bucket(bucket).Put([]byte(key), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), saved) })
	}
}

// openFleet is a store of n apps with one machine and one Flycast address each.
func openFleet(tb testing.TB, n int) *Store {
	tb.Helper()
	return openFleetAt(tb, filepath.Join(tb.TempDir(), "state.db"), n)
}

func openFleetAt(tb testing.TB, path string, n int) *Store {
	tb.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	for i := range n {
		name := fmt.Sprintf("app-%d", i)
		if _, _, err := s.CreateApp(NewApp{Name: name, PrivateV6: true}, t0); err != nil {
			tb.Fatal(err)
		}
		if _, err := s.CreateMachine(NewMachine{App: name, Group: DefaultGroup, Image: "img", Version: 1}, t0); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// BenchmarkMachinesOfOneApp is the proxy's and the DNS server's read: one app's machines
// among 1 and 1 000 apps. It should not grow with the number of apps.
func BenchmarkMachinesOfOneApp(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			s := openFleet(b, n)
			for b.Loop() {
				if ms, err := s.Machines("app-0"); err != nil || len(ms) != 1 {
					b.Fatal(ms, err)
				}
			}
		})
	}
}

// BenchmarkIPsOfOneApp: the plane's rebuild reads every app's addresses this way.
func BenchmarkIPsOfOneApp(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			s := openFleet(b, n)
			for b.Loop() {
				if ips, err := s.IPs("app-0"); err != nil || len(ips) != 1 {
					b.Fatal(ips, err)
				}
			}
		})
	}
}
