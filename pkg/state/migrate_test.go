package state

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestOpenIndexesAnOlderDatabase: a database from before the by-app indexes gets them on
// Open, and answers as before.
func TestOpenIndexesAnOlderDatabase(t *testing.T) {
	path := olderDatabase(t, 20)
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFleet(t, s, 20)
}

// TestKillDuringMigrationLeavesUsableDatabase kills a process in the middle of the
// migration's transaction: the file keeps the older schema, and the next Open migrates it.
func TestKillDuringMigrationLeavesUsableDatabase(t *testing.T) {
	path := olderDatabase(t, 200)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMigrator$")
	cmd.Env = append(os.Environ(), "HANGAR_STATE_MIGRATOR="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !bufio.NewScanner(out).Scan() {
		t.Fatal("the migrator never reached the middle of the migration")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if schema := rawSchema(t, path); schema != "" {
		t.Errorf("after the kill the file says schema %q, want the older schema (none)", schema)
	}
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFleet(t, s, 200)
}

// TestHelperMigrator is the child: it opens an older database and, half-way through
// indexing its machines, says so and waits to be killed.
func TestHelperMigrator(t *testing.T) {
	path := os.Getenv("HANGAR_STATE_MIGRATOR")
	if path == "" {
		t.Skip("only runs as the child of TestKillDuringMigrationLeavesUsableDatabase")
	}
	migrateHook = func(n int) {
		if n == 100 {
			fmt.Println("migrating")
			time.Sleep(time.Minute)
		}
	}
	Open(path, Options{})
	t.Fatal("Open returned: the migration did not reach 100 machines")
}

// olderDatabase is a database of n apps (one machine and one address each) as the
// schema before the by-app indexes wrote it.
func olderDatabase(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s := openFleetAt(t, path, n)
	s.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketMachinesByApp, bucketIPsByApp} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(keySchema)
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func rawSchema(t *testing.T, path string) string {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	db.View(func(tx *bbolt.Tx) error { v = string(tx.Bucket(bucketMeta).Get(keySchema)); return nil })
	return v
}

// checkFleet: the store is consistent and each of the n apps lists its machine and address.
func checkFleet(t *testing.T, s *Store, n int) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		app := fmt.Sprintf("app-%d", i)
		ms, err := s.Machines(app)
		ips, err2 := s.IPs(app)
		if err != nil || err2 != nil || len(ms) != 1 || len(ips) != 1 {
			t.Fatalf("%s: machines %v (%v), addresses %v (%v); want one each", app, ms, err, ips, err2)
		}
	}
}
