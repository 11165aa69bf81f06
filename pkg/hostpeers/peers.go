// Package hostpeers knows which hangar agents run on this host, so that what they share (fdaa::3 on lo, the hosts file) is released by the last one and what a killed agent left behind is recognized.
package hostpeers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// DefaultDir is where agents register: /run is emptied at boot, as the registrations
// should be.
const DefaultDir = "/run/hangar/agents"

// Dir is $HANGAR_RUN_DIR/agents when set (tests), else DefaultDir.
func Dir() string {
	if d := os.Getenv("HANGAR_RUN_DIR"); d != "" {
		return filepath.Join(d, "agents")
	}
	return DefaultDir
}

// Registration is one running agent's entry: a lock file held for as long as the
// process lives. The kernel drops the lock when the process dies, even by kill -9, so a
// file whose lock can be taken belongs to an agent that is gone.
type Registration struct {
	dir string
	id  string
	f   *os.File
}

// Register records the installation id as running until Close.
func Register(dir, id string) (*Registration, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	f, err := os.OpenFile(lockPath(dir, id), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("registering agent %s: %w", id, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("registering agent %s: another agent of this installation holds %s", id, f.Name())
	}
	return &Registration{dir: dir, id: id, f: f}, nil
}

// Others lists the installations other than this one whose agents are running.
func (r *Registration) Others() []string {
	var out []string
	for _, id := range Running(r.dir) {
		if id != r.id {
			out = append(out, id)
		}
	}
	return out
}

// Close ends the registration.
func (r *Registration) Close() error {
	os.Remove(r.f.Name())
	return r.f.Close() // closing drops the lock
}

// Running lists the installations whose agents hold their lock now, and removes the
// files of those that are gone.
func Running(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".lock")
		if !ok || e.IsDir() {
			continue
		}
		if Alive(dir, id) {
			out = append(out, id)
		}
	}
	return out
}

// Alive reports whether the agent of installation id is running.
func Alive(dir, id string) bool {
	f, err := os.Open(lockPath(dir, id))
	if err != nil {
		return false
	}
	defer f.Close()
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return true
	}
	if err == nil {
		os.Remove(f.Name()) // a dead agent's file; we hold its lock while removing it
	}
	return false
}

// Exclusive runs fn while no other agent of this host runs an Exclusive section: adding
// or taking back a shared resource and checking who else runs happen as one step.
func Exclusive(dir string, fn func() error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "shared.mutex"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		return fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return fn()
}

func lockPath(dir, id string) string { return filepath.Join(dir, id+".lock") }

// File is the registration's lock file, for a successor agent: the lock belongs to the
// open file, so the successor holds it from the moment it inherits the file.
func (r *Registration) File() (*os.File, error) {
	fd, err := unix.Dup(int(r.f.Fd()))
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), r.f.Name()), nil
}

// Adopt takes over the registration of installation id from an inherited lock file.
func Adopt(dir, id string, f *os.File) *Registration {
	return &Registration{dir: dir, id: id, f: f}
}

// Release lets go of the registration without ending it: a successor holds it now.
func (r *Registration) Release() error { return r.f.Close() }
