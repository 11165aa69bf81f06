//go:build linux

package machine

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestStdinTerminal drives the real terminal code on a pseudo-terminal.
func TestStdinTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	term := StdinTerminal(tty)
	if term == nil {
		t.Fatal("a pseudo-terminal is not seen as a terminal")
	}
	if cols, rows, err := term.Size(); err != nil || cols != 120 || rows != 40 {
		t.Errorf("size = %dx%d, %v; want 120x40", cols, rows, err)
	}
	restore, err := term.MakeRaw()
	if err != nil {
		t.Fatal(err)
	}
	if echoes(t, tty) {
		t.Error("raw mode still echoes")
	}
	restore()
	if !echoes(t, tty) {
		t.Error("restore did not bring echo back")
	}
}

func echoes(t *testing.T, tty *os.File) bool {
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return st.Lflag&unix.ECHO != 0
}

func TestStdinTerminalIsNilOffATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "input"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if StdinTerminal(f) != nil || StdinTerminal(&bytes.Buffer{}) != nil {
		t.Error("a file or a buffer was taken for a terminal")
	}
}

func TestResizeEvents(t *testing.T) {
	events, stop := fdTerminal(0).ResizeEvents()
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	select {
	case <-events:
	case <-time.After(10 * time.Second):
		t.Fatal("no event for SIGWINCH")
	}
}
