package runtimetest

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Logs returns the text set with SetLogs, or its last Tail lines. Follow is
// not simulated: the stream ends after the current text.
func (e *Engine) Logs(ctx context.Context, id string, opts runtime.LogOptions) (io.ReadCloser, error) {
	if err := e.begin("Logs", id); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader(tail(c.logs, opts.Tail))), nil
}

// tail returns the last n lines of text, or all of it when n is zero.
func tail(text string, n int) string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if n > 0 && n < len(lines) {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

// Attach connects to a container created with OpenStdin; Terminal returns
// the container's end of the connection.
func (e *Engine) Attach(ctx context.Context, id string) (io.ReadWriteCloser, error) {
	if err := e.begin("Attach", id); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err != nil {
		return nil, err
	}
	if !c.spec.OpenStdin {
		return nil, fmt.Errorf("%w: container %s was not created with OpenStdin", runtime.ErrConflict, c.Name)
	}
	client, side := net.Pipe()
	c.terminal = side
	return halfCloser{client}, nil
}

// halfCloser gives a pipe the CloseWrite that Engine.Attach promises; a
// pipe cannot half-close, so it closes both ways.
type halfCloser struct{ net.Conn }

func (h halfCloser) CloseWrite() error { return h.Close() }

// Terminal returns the container's end of the last Attach, or nil.
func (e *Engine) Terminal(id string) net.Conn {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, err := e.lookup(id); err == nil {
		return c.terminal
	}
	return nil
}

// ResizeTTY records the size of a container's terminal; see TTYSize.
func (e *Engine) ResizeTTY(ctx context.Context, id string, rows, cols uint) error {
	return e.transition("ResizeTTY", id, func(c *container) error {
		if !c.spec.Tty {
			return fmt.Errorf("%w: container %s has no terminal", runtime.ErrConflict, c.Name)
		}
		c.rows, c.cols = rows, cols
		return nil
	})
}

// TTYSize returns the terminal size last set with ResizeTTY.
func (e *Engine) TTYSize(id string) (rows, cols uint) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, err := e.lookup(id); err == nil {
		return c.rows, c.cols
	}
	return 0, 0
}
