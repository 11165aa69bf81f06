package ipalloc

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"
)

func TestReopenKeepsCursorAndLeases(t *testing.T) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/120"), time.Hour, mustParse(t, "fdaa:0:2a:0:1::1"))
	path := filepath.Join(t.TempDir(), "state.db")
	db := openDB(t, path, p)
	for _, owner := range []string{"a", "b", "c"} {
		mustAllocate(t, db, p, owner, t0)
	}
	if err := release(t, db, p, mustParse(t, "fdaa:0:2a:0:1::4"), t0); err != nil {
		t.Fatal(err)
	}
	before := leases(t, db, p)
	closeDB(t, db, p)

	db = openDB(t, path, p)
	if diff := cmp.Diff(before, leases(t, db, p), addrCmp); diff != "" {
		t.Errorf("leases after reopen (-before +after):\n%s", diff)
	}
	if got := mustAllocate(t, db, p, "d", t0); got.String() != "fdaa:0:2a:0:1::5" {
		t.Errorf("after reopen got %s, want the cursor's fdaa:0:2a:0:1::5", got)
	}
	if n := count(t, db, p); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
}

func leases(t testing.TB, db *bbolt.DB, p *Pool) []Lease {
	t.Helper()
	var ls []Lease
	if err := db.View(func(tx *bbolt.Tx) (err error) { ls, err = p.List(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return ls
}

// The tests below run this test binary again as a child process that
// allocates from a database given in the environment, to show that bbolt's
// file lock keeps processes apart and that a killed process leaves only
// whole transactions behind.
const childEnv = "IPALLOC_TEST_CHILD" // "<mode> <db path> <owner> <n>"

var childPool = NewFlycastPool(testOrg, DefaultGrace)

func childMain() int {
	var mode, path, owner string
	var n int
	if _, err := fmt.Sscan(os.Getenv(childEnv), &mode, &path, &owner, &n); err != nil {
		return 2
	}
	run := map[string]func(string, string, int) error{"turns": allocateInTurns, "forever": allocateForever}[mode]
	if run == nil {
		return 2
	}
	if err := run(path, owner, n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// allocateInTurns opens the database for each allocation, so two children
// take turns on the file lock.
func allocateInTurns(path, owner string, n int) error {
	for range n {
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 30 * time.Second, NoSync: true})
		if err != nil {
			return err
		}
		err = db.Update(func(tx *bbolt.Tx) error {
			_, err := childPool.Allocate(tx, owner, time.Now())
			return err
		})
		if err := errors.Join(err, db.Close()); err != nil {
			return err
		}
	}
	return nil
}

// allocateForever prints each address once its transaction has committed,
// until it is killed. SIGKILL leaves the page cache alone, so fsync would
// add nothing but time.
func allocateForever(path, owner string, _ int) error {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	for {
		var a netip.Addr
		err := db.Update(func(tx *bbolt.Tx) (err error) {
			a, err = childPool.Allocate(tx, owner, time.Now())
			return err
		})
		if err != nil {
			return err
		}
		fmt.Println(a)
	}
}

func startChild(t *testing.T, args string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+args)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

func TestProcessesTakeTurns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	const perChild = 40
	var children []*exec.Cmd
	for i := range 2 {
		cmd, _ := startChild(t, fmt.Sprintf("turns %s child%d %d", path, i, perChild))
		children = append(children, cmd)
	}
	for _, cmd := range children {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	db := openDB(t, path, childPool)
	owners := map[string]int{}
	for _, l := range leases(t, db, childPool) {
		owners[l.Owner]++
	}
	if diff := cmp.Diff(map[string]int{"child0": perChild, "child1": perChild}, owners); diff != "" {
		t.Errorf("leases per child (-want +got, addrCmp):\n%s", diff)
	}
}

func TestKilledProcessLeavesCommittedState(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	cmd, lines := startChild(t, "forever "+path+" child 0")
	var seen []string
	for len(seen) < 200 && lines.Scan() {
		seen = append(seen, lines.Text())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(seen) < 200 {
		t.Fatalf("child stopped after %d allocations", len(seen))
	}
	db := openDB(t, path, childPool)
	live := map[string]bool{}
	for _, l := range leases(t, db, childPool) {
		live[l.Addr.String()] = true
	}
	for _, a := range seen {
		if !live[a] {
			t.Fatalf("committed %s lost after kill", a)
		}
	}
	next := mustAllocate(t, db, childPool, "after", time.Now())
	if live[next.String()] || !strings.HasPrefix(next.String(), "fdaa:0:2a:0:1::") {
		t.Errorf("after restart got %s, live or outside the range", next)
	}
	if n := count(t, db, childPool); n != len(live)+1 {
		t.Errorf("Count = %d, want %d", n, len(live)+1)
	}
}
