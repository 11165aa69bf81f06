package hostnames

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// HostsFile publishes names as a block of its own in a hosts file, for hosts where systemd-resolved
// does not run: every libc lookup and browser reads /etc/hosts. Each installation owns one block,
// marked with its ID, and never touches a byte outside it.
type HostsFile struct {
	path, lockPath, id, desc string
	rename                   func(oldpath, newpath string) error // os.Rename; tests make it fail like a bind mount

	// mu serializes this value's updates and guards closed; the lock file serializes them with other processes.
	mu     sync.Mutex
	closed bool
}

// NewHostsFile returns a HostsFile for the hosts file at path (production: /etc/hosts), owned by
// installation id. Every update holds an exclusive flock of lockPath (production: under /run/hangar),
// whose directory is created when missing. desc, such as the HANGAR_HOME path, goes into the
// block's marker comment so a person reading the file knows whose block it is.
func NewHostsFile(path, id, lockPath, desc string) (*HostsFile, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w %q: want 1 to 32 lowercase hex digits", ErrInvalidID, id)
	}
	desc = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?' // a newline would end the comment
		}
		return r
	}, desc)
	return &HostsFile{path: path, lockPath: lockPath, id: id, desc: desc, rename: os.Rename}, nil
}

// Publish replaces this installation's block with entries, or removes it when entries have no
// addresses. It refuses every name not under .flycast or .internal, and writes nothing when the
// file would not change.
func (h *HostsFile) Publish(entries []Entry) error {
	lines, err := table(entries)
	if err != nil {
		return fmt.Errorf("publishing names to %s: %w", h.path, err)
	}
	return h.update(renderBlock(h.id, h.desc, lines))
}

// Remove deletes this installation's block; a later Publish writes it again.
func (h *HostsFile) Remove() error { return h.update("") }

// Close deletes this installation's block; Publish and Remove fail afterwards.
func (h *HostsFile) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	return h.edit(func(d doc) doc { return d.withBlock(h.id, "") })
}

func (h *HostsFile) update(block string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	return h.edit(func(d doc) doc { return d.withBlock(h.id, block) })
}

func (h *HostsFile) edit(change func(doc) doc) error {
	if err := edit(h.path, h.lockPath, h.rename, change); err != nil {
		return fmt.Errorf("updating hangar block %s: %w", h.id, err)
	}
	return nil
}

// CleanStale removes from the hosts file at path every hangar block, finished or half-written, whose
// installation is not alive, such as one left by an agent killed with SIGKILL. It holds lockPath's
// flock like HostsFile does.
func CleanStale(path, lockPath string, alive func(id string) bool) error {
	err := edit(path, lockPath, os.Rename, func(d doc) doc {
		return slices.DeleteFunc(d, func(p part) bool { return p.id != "" && !alive(p.id) })
	})
	if err != nil {
		return fmt.Errorf("cleaning stale hangar blocks: %w", err)
	}
	return nil
}
