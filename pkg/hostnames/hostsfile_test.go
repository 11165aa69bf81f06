package hostnames

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const userLines = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"

var demo = []Entry{
	{"demo.flycast", addrs("fdaa:3b1e:9c4:0:1::2")},
	{"demo.internal", addrs("fdaa:3b1e:9c4:a7b::2")},
	{"5ded2e4597e823.vm.demo.internal", addrs("fdaa:3b1e:9c4:a7b::2")},
}

const demoBlock = "# BEGIN hangar a1 — managed by the hangar agent of /home/u/.hangar; removed when it stops. Do not edit.\n" +
	"fdaa:3b1e:9c4:0:1::2\tdemo.flycast\n" +
	"fdaa:3b1e:9c4:a7b::2\tdemo.internal 5ded2e4597e823.vm.demo.internal\n" +
	"# END hangar a1\n"

// hostsFixture writes content to a hosts file in a temporary directory and returns its path and a lock path
// in a directory that does not exist yet.
func hostsFixture(t *testing.T, content string) (path, lockPath string) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "hosts")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, filepath.Join(dir, "run", "hangar", "hosts.lock")
}

func newHosts(t *testing.T, path, id, lockPath string) *HostsFile {
	t.Helper()
	h, err := NewHostsFile(path, id, lockPath, "/home/u/.hangar")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNewHostsFile(t *testing.T) {
	tests := []struct {
		name, id, desc, wantDesc string
		err                      error
	}{
		{"a hex ID", "a1", "/home/u/.hangar", "/home/u/.hangar", nil},
		{"control characters cannot end the comment", "a1", "/x\n10.0.0.1 evil\r", "/x?10.0.0.1 evil?", nil},
		{"an ID that is not hex", "A1", "", "", ErrInvalidID},
		{"an empty ID", "", "", "", ErrInvalidID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHostsFile("/etc/hosts", tt.id, "/run/hangar/hosts.lock", tt.desc)
			if !errors.Is(err, tt.err) {
				t.Fatalf("NewHostsFile() error = %v, want %v", err, tt.err)
			}
			if err == nil && h.desc != tt.wantDesc {
				t.Errorf("desc = %q, want %q", h.desc, tt.wantDesc)
			}
		})
	}
}

func TestHostsFilePublish(t *testing.T) {
	tests := []struct {
		name, before string
		entries      []Entry
		want         string
	}{
		{"appends after the user's lines", userLines, demo, userLines + demoBlock},
		{"ends a last line that lacked its newline", "127.0.0.1 localhost", demo, "127.0.0.1 localhost\n" + demoBlock},
		{"creates a missing file", "", demo, demoBlock},
		{"replaces its block in place", userLines + "# BEGIN hangar a1\nfdaa::9 old.flycast\n# END hangar a1\n# me\n", demo, userLines + demoBlock + "# me\n"},
		{"keeps another installation's block", userLines + blockB, demo, userLines + blockB + demoBlock},
		{"replaces a half-written block", userLines + "# BEGIN hangar a1\nfdaa::9\told.fly", demo, userLines + demoBlock},
		{"no addresses remove the block", userLines + demoBlock + "# me\n", []Entry{{Name: "demo.internal"}}, userLines + "# me\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, lockPath := hostsFixture(t, tt.before)
			if tt.before == "" {
				os.Remove(path)
			}
			if err := newHosts(t, path, "a1", lockPath).Publish(tt.entries); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readFile(t, path)); diff != "" {
				t.Errorf("hosts file mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostsFilePublishRefusesBadEntries(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		err     error
	}{
		{"a name outside Hangar's zones", []Entry{{"github.com", addrs("fdaa::2")}}, ErrInvalidName},
		{"whitespace", []Entry{{"a b.flycast", addrs("fdaa::2")}}, ErrInvalidName},
		{"a comment", []Entry{{"a#b.flycast", addrs("fdaa::2")}}, ErrInvalidName},
		{"an unspecified address", []Entry{{"demo.flycast", addrs("::")}}, ErrInvalidAddr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, lockPath := hostsFixture(t, userLines)
			err := newHosts(t, path, "a1", lockPath).Publish(append(demo, tt.entries...))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Publish() error = %v, want %v", err, tt.err)
			}
			if got := readFile(t, path); got != userLines {
				t.Errorf("hosts file changed to %q", got)
			}
		})
	}
}

func TestHostsFilePublishUnchangedDoesNotWrite(t *testing.T) {
	path, lockPath := hostsFixture(t, userLines+demoBlock)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before := inode(t, path)
	h := newHosts(t, path, "a1", lockPath)
	h.rename = func(string, string) error { t.Error("rename called for unchanged content"); return nil }
	if err := h.Publish(demo); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.ModTime().Equal(old) || inode(t, path) != before {
		t.Errorf("file rewritten: mtime %v, inode %d→%d", info.ModTime(), before, inode(t, path))
	}
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

func TestHostsFileReplacesAtomically(t *testing.T) {
	path, lockPath := hostsFixture(t, userLines)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	wantUID := os.Getuid()
	if wantUID == 0 {
		wantUID = 4242 // root can give the file away, which shows the owner is copied rather than defaulted
		if err := os.Chown(path, wantUID, 4343); err != nil {
			t.Fatal(err)
		}
	}
	before := inode(t, path)
	if err := newHosts(t, path, "a1", lockPath).Publish(demo); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Ino == before {
		t.Error("the file was written in place, not replaced")
	}
	if info.Mode().Perm() != 0o640 || int(st.Uid) != wantUID {
		t.Errorf("mode %v uid %d, want -rw-r----- uid %d", info.Mode().Perm(), st.Uid, wantUID)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 {
		t.Errorf("directory holds %v, want the hosts file and the lock's directory", entries)
	}
}

func TestHostsFileFallsBackToRewritingInPlace(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		inPlace bool
	}{
		{"a bind-mounted file", syscall.EBUSY, true},
		{"another file system", syscall.EXDEV, true},
		{"any other failure is an error", syscall.EIO, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, lockPath := hostsFixture(t, userLines+"# a long tail that the shorter new content must not leave behind\n"+demoBlock)
			before := inode(t, path)
			h := newHosts(t, path, "a1", lockPath)
			h.rename = func(o, n string) error { return &os.LinkError{Op: "rename", Old: o, New: n, Err: tt.err} }
			err := h.Publish(demo[:1])
			if tt.inPlace && err != nil || !tt.inPlace && !errors.Is(err, tt.err) {
				t.Fatalf("Publish() error = %v, want in place %v", err, tt.inPlace)
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 {
				t.Errorf("temporary file left behind: %v", entries)
			}
			if !tt.inPlace {
				return
			}
			want := strings.Replace(userLines+"# a long tail that the shorter new content must not leave behind\n"+demoBlock,
				"fdaa:3b1e:9c4:a7b::2\tdemo.internal 5ded2e4597e823.vm.demo.internal\n", "", 1)
			if diff := cmp.Diff(want, readFile(t, path)); diff != "" || inode(t, path) != before {
				t.Errorf("in-place rewrite mismatch, inode %d→%d (-want +got):\n%s", before, inode(t, path), diff)
			}
		})
	}
}

func TestHostsFileRemoveAndClose(t *testing.T) {
	path, lockPath := hostsFixture(t, userLines+blockB)
	h := newHosts(t, path, "a1", lockPath)
	steps := []struct {
		name string
		do   func() error
		want string
		err  error
	}{
		{"publish", func() error { return h.Publish(demo) }, userLines + blockB + demoBlock, nil},
		{"remove", h.Remove, userLines + blockB, nil},
		{"publish again", func() error { return h.Publish(demo) }, userLines + blockB + demoBlock, nil},
		{"close", h.Close, userLines + blockB, nil},
		{"close twice", h.Close, userLines + blockB, nil},
		{"publish after close", func() error { return h.Publish(demo) }, userLines + blockB, ErrClosed},
		{"remove after close", h.Remove, userLines + blockB, ErrClosed},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); !errors.Is(err, s.err) {
				t.Fatalf("error = %v, want %v", err, s.err)
			}
			if diff := cmp.Diff(s.want, readFile(t, path)); diff != "" {
				t.Errorf("hosts file mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCleanStale(t *testing.T) {
	halfC := "# BEGIN hangar c3 — managed…\nfdaa::4\tc.flycast\n"
	tests := []struct {
		name, before, want string
		alive              []string
	}{
		{"keeps live installations", userLines + blockA + blockB, userLines + blockA + blockB, []string{"a1", "b2"}},
		{"removes dead ones", userLines + blockA + "# me\n" + blockB, userLines + "# me\n" + blockB, []string{"b2"}},
		{"removes half-written ones", userLines + halfC + "10.0.0.1 mine\n", userLines + "10.0.0.1 mine\n", nil},
		{"a file without blocks is left alone", userLines, userLines, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, lockPath := hostsFixture(t, tt.before)
			alive := func(id string) bool { return slices.Contains(tt.alive, id) }
			if err := CleanStale(path, lockPath, alive); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readFile(t, path)); diff != "" {
				t.Errorf("hosts file mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("an unreadable lock is an error", func(t *testing.T) {
		path, _ := hostsFixture(t, userLines)
		if err := CleanStale(path, filepath.Join(path, "lock"), func(string) bool { return false }); err == nil {
			t.Error("CleanStale() with a lock under a regular file succeeded")
		}
	})
}
