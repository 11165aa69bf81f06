package state

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestDiskFull fills the database's disk in a child process, once with a file
// size limit and once (as root, in a private mount namespace of the child's
// own) on a 256 KiB tmpfs: the write that does not fit fails with an error
// IsDiskFull knows, every earlier one is kept, and with space again the
// database opens, checks out and takes writes.
func TestDiskFull(t *testing.T) {
	tests := []struct {
		name string
		cmd  func(test string) *exec.Cmd
	}{
		{"file size limit", func(test string) *exec.Cmd { return exec.Command(test, "-test.run=^TestHelperDiskFull$", "-test.v") }},
		{"tmpfs", func(test string) *exec.Cmd {
			if os.Geteuid() != 0 {
				t.Skip("mounting a tmpfs needs root")
			}
			if _, err := exec.LookPath("unshare"); err != nil {
				t.Skip("no unshare(1)")
			}
			return exec.Command("unshare", "--mount", "--propagation", "private", "--", test, "-test.run=^TestHelperDiskFull$", "-test.v")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := tt.cmd(os.Args[0])
			cmd.Env = append(os.Environ(), "HANGAR_STATE_DISKFULL="+tt.name, "HANGAR_STATE_DISKFULL_DIR="+t.TempDir())
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}

// TestHelperDiskFull is TestDiskFull's child.
func TestHelperDiskFull(t *testing.T) {
	variant, dir := os.Getenv("HANGAR_STATE_DISKFULL"), os.Getenv("HANGAR_STATE_DISKFULL_DIR")
	if variant == "" {
		t.Skip("only runs as the child of TestDiskFull")
	}
	signal.Ignore(syscall.SIGXFSZ) // a write over the limit fails with EFBIG instead of killing us
	full, roomy := diskLimits(t, variant, dir)
	path := filepath.Join(dir, "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	full()
	n, err := fillApps(s)
	t.Logf("%d apps, then: %v", n, err)
	if !IsDiskFull(err) {
		t.Fatalf("after %d apps: error %v, want one IsDiskFull knows", n, err)
	}
	checkFilled(t, s, n)
	s.Close()
	roomy()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFilled(t, s, n)
	if _, _, err := s.CreateApp(NewApp{Name: "after", PrivateV6: true}, t0); err != nil {
		t.Fatalf("with space again: %v", err)
	}
}

// unlimited is RLIM_INFINITY as a uint64.
const unlimited = ^uint64(0)

// diskLimits returns how to make the disk full and how to give it room again.
func diskLimits(t *testing.T, variant, dir string) (full, roomy func()) {
	fsize := func(n uint64) func() {
		return func() {
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: unlimited}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if variant != "tmpfs" {
		return fsize(256 << 10), fsize(unlimited)
	}
	size := func(opts string, flags uintptr) {
		if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, opts); err != nil {
			t.Fatalf("mounting a tmpfs on %s (%s): %v", dir, opts, err)
		}
	}
	size("size=256k", 0)
	return func() {}, func() { size("size=8m", syscall.MS_REMOUNT) }
}

func fillApps(s *Store) (int, error) {
	for i := range 100_000 {
		if _, _, err := s.CreateApp(NewApp{Name: fmt.Sprintf("app-%05d", i), PrivateV6: true}, time.Now()); err != nil {
			return i, err
		}
	}
	return 100_000, nil
}

// checkFilled: the n apps created are there, with their addresses, and nothing of the one that failed.
func checkFilled(t *testing.T, s *Store, n int) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	apps, err := s.Apps("")
	if err != nil || len(apps) != n {
		t.Fatalf("%d apps (%v), want the %d created", len(apps), err, n)
	}
	if _, err := s.App(fmt.Sprintf("app-%05d", n)); err == nil {
		t.Errorf("the app whose write failed is recorded")
	}
}
