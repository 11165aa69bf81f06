package hostnames

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// edit applies change to the hosts file at path while holding lockPath's flock, writing only when the content changes.
func edit(path, lockPath string, rename func(string, string) error, change func(doc) doc) error {
	unlock, err := lock(lockPath)
	if err != nil {
		return err
	}
	defer unlock()
	old, info, err := readHosts(path)
	if err != nil {
		return err
	}
	content := change(parse(old)).String()
	if content == old {
		return nil
	}
	return write(path, []byte(content), info, rename)
}

// lock takes the exclusive flock every hangar writer of a hosts file takes. It is a file of its own
// because replacing the hosts file gives it a new inode, and a lock on the old one excludes nobody.
func lock(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the lock's directory: %w", err)
	}
	// Read-only is enough for flock, and lets an agent lock a file another user created.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock %s: %w", path, err)
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
	for errors.Is(err, unix.EINTR) {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// readHosts returns the file's content and its mode and owner, or nothing for a file that does not exist.
func readHosts(path string) (string, fs.FileInfo, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", path, err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return string(b), info, nil
}

// write replaces the file atomically so that a reader sees the old content or the new, never a mix,
// and falls back to rewriting it in place where it cannot be replaced.
func write(path string, data []byte, info fs.FileInfo, rename func(string, string) error) error {
	err := replace(path, data, info, rename)
	if err == nil || !cannotReplace(err) {
		return err
	}
	return rewrite(path, data)
}

// cannotReplace reports whether err says the file cannot be replaced though it may be writable:
// /etc/hosts bind-mounted into a container (EBUSY, EXDEV), a directory we may not write or a
// file whose owner we may not give to a new one (EACCES, EPERM).
func cannotReplace(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EBUSY, syscall.EXDEV, syscall.EACCES, syscall.EPERM} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// replace writes data to a temporary file beside path with path's mode and owner, syncs it and renames it over path.
func replace(path string, data []byte, info fs.FileInfo, rename func(string, string) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".hangar-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file beside %s: %w", path, err)
	}
	err = fill(tmp, data, info)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

func fill(f *os.File, data []byte, info fs.FileInfo) error {
	mode := fs.FileMode(0o644)
	if info != nil {
		mode = info.Mode().Perm()
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if st, ok := owner(info); ok {
		if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
			return err
		}
	}
	return f.Sync()
}

func owner(info fs.FileInfo) (*syscall.Stat_t, bool) {
	if info == nil {
		return nil, false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return st, ok
}

// syncDir makes the rename durable. It is best effort: some file systems refuse to sync a directory,
// and the new content is in place either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// rewrite writes data over the file itself. It writes before it truncates so that a concurrent
// reader never sees an empty hosts file, which would make even localhost unknown.
func rewrite(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("rewriting %s in place: %w", path, err)
	}
	_, err = f.WriteAt(data, 0)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rewriting %s in place: %w", path, err)
	}
	return nil
}
