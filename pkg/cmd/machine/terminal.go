package machine

import (
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Terminal is the local terminal a shell session takes over.
type Terminal interface {
	// MakeRaw sends every key to the machine unprocessed until restore is called.
	MakeRaw() (restore func(), err error)
	// Size is the window's width and height in characters.
	Size() (cols, rows int, err error)
	// ResizeEvents reports window changes until stop is called.
	ResizeEvents() (events <-chan os.Signal, stop func())
}

// StdinTerminal is the terminal on stdin, or nil when stdin is a pipe or a file.
func StdinTerminal(in io.Reader) Terminal {
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return fdTerminal(f.Fd())
}

// fdTerminal is a terminal by its file descriptor.
type fdTerminal int

func (t fdTerminal) MakeRaw() (func(), error) {
	st, err := term.MakeRaw(int(t))
	if err != nil {
		return nil, err
	}
	return func() { _ = term.Restore(int(t), st) }, nil
}

func (t fdTerminal) Size() (int, int, error) { return term.GetSize(int(t)) }

func (t fdTerminal) ResizeEvents() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	return ch, func() { signal.Stop(ch) }
}

type writeCloser interface{ CloseWrite() error }

// closeWrite ends the machine's stdin while its output still flows back
// (api.Attach's connection can). Connections that cannot half-close stay open.
func closeWrite(conn net.Conn) error {
	if cw, ok := conn.(writeCloser); ok {
		return cw.CloseWrite()
	}
	return nil
}
