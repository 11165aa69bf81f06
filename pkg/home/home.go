// Package home locates Hangar's state directory and the files the agent keeps in it.
package home

import (
	"os"
	"path/filepath"
)

// Dir is $HANGAR_HOME, else $XDG_STATE_HOME/hangar, else ~/.local/state/hangar.
func Dir() string {
	if d := os.Getenv("HANGAR_HOME"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "hangar")
	}
	h, err := os.UserHomeDir()
	if err != nil {
		h = os.TempDir()
	}
	return filepath.Join(h, ".local", "state", "hangar")
}

// Socket is the agent's API socket (mode 0600).
func Socket(dir string) string { return filepath.Join(dir, "hangar.sock") }

// Database is the agent's bbolt state file.
func Database(dir string) string { return filepath.Join(dir, "state.db") }

// Log is where a background agent writes its log.
func Log(dir string) string { return filepath.Join(dir, "agent.log") }

// StartLock serialises CLI processes that start the agent at the same time.
func StartLock(dir string) string { return filepath.Join(dir, "agent.lock") }

// Ensure creates dir with owner-only permissions.
func Ensure(dir string) error { return os.MkdirAll(dir, 0o700) }
