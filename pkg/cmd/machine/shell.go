package machine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// runShell creates an interactive machine and joins it to this terminal. The agent starts
// the machine once attached and destroys it when the session ends.
func runShell(ctx context.Context, c Client, opts *RunOptions) error {
	if opts.AppName == shellsApp {
		if err := ensureShellsApp(ctx, c); err != nil {
			return err
		}
	}
	m, err := c.RunMachine(ctx, opts.AppName, opts.request())
	if err != nil {
		return fmt.Errorf("creating a shell machine in app %s: %w", opts.AppName, err)
	}
	conn, err := c.Attach(ctx, opts.AppName, m.ID)
	if err != nil {
		// Without a session the agent never destroys the machine, so do it here.
		_ = c.DestroyMachine(context.WithoutCancel(ctx), opts.AppName, m.ID, true)
		return err
	}
	defer conn.Close()
	fmt.Fprintf(opts.IO.ErrOut, "Connected to machine %s in app %s; it is destroyed when the shell exits.\n", m.ID, opts.AppName)
	resize := func(ctx context.Context, rows, cols int) error {
		return c.ResizeMachineTTY(ctx, opts.AppName, m.ID, rows, cols)
	}
	s := &Session{IO: opts.IO, Term: opts.Term, ID: m.ID, Conn: conn, Resize: resize}
	return s.Run(ctx)
}

// ensureShellsApp creates the shells app the first time a shell needs it.
func ensureShellsApp(ctx context.Context, c Client) error {
	_, err := c.GetApp(ctx, shellsApp)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "app_not_found" {
		return err
	}
	_, err = c.CreateApp(ctx, api.CreateAppRequest{AppName: shellsApp, OrgSlug: "personal"})
	if errors.As(err, &apiErr) && apiErr.Code == "app_exists" {
		return nil // another shell created it first
	}
	if err != nil {
		return fmt.Errorf("creating the %s app: %w", shellsApp, err)
	}
	return nil
}

// Session is one session with a machine's terminal or command (hangar ssh console has
// them too): stdin to the machine, the machine to stdout.
type Session struct {
	IO   *iostreams.IOStreams
	Term Terminal // nil: plain pipes
	ID   string   // the machine, for messages
	Conn net.Conn
	// Resize sets the machine side's terminal size.
	Resize func(ctx context.Context, rows, cols int) error
}

// Run copies until the machine closes the connection. On a terminal, keys go to the
// machine raw (Ctrl-C included) and the window size follows the local one.
func (s *Session) Run(ctx context.Context) error {
	if s.Term != nil {
		restore, err := s.Term.MakeRaw()
		if err != nil {
			return fmt.Errorf("putting the terminal in raw mode: %w", err)
		}
		defer restore()
		defer s.watchResize(ctx)()
	}
	// The input goroutine ends at the end of stdin or at its first write after the
	// connection closes; a read blocked on a terminal cannot be interrupted, and the
	// process exits right after the session anyway.
	go s.sendInput()
	return s.copyOutput(ctx)
}

// sendInput copies stdin to the machine, then half-closes so the machine reads end of input.
func (s *Session) sendInput() {
	if _, err := io.Copy(s.Conn, s.IO.In); err == nil {
		_ = closeWrite(s.Conn)
	}
}

// copyOutput writes the machine's output until it ends. The first output means the
// machine runs, so that is when the terminal size can be set.
func (s *Session) copyOutput(ctx context.Context) error {
	buf := make([]byte, 32<<10)
	sized := s.Term == nil
	for {
		n, err := s.Conn.Read(buf)
		if n > 0 {
			if _, werr := s.IO.Out.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if n > 0 && !sized {
			s.resize(ctx)
			sized = true
		}
		if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading from machine %s: %w", s.ID, err)
		}
	}
}

// watchResize forwards window changes until the returned stop is called.
func (s *Session) watchResize(ctx context.Context) (stop func()) {
	events, stopEvents := s.Term.ResizeEvents()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-events:
				s.resize(ctx)
			case <-done:
				return
			}
		}
	}()
	return func() { stopEvents(); close(done); <-finished }
}

// resize is best effort: a size sent before the machine runs fails harmlessly and the
// next one (first output, or the next window change) fixes it.
func (s *Session) resize(ctx context.Context) {
	cols, rows, err := s.Term.Size()
	if err != nil {
		return
	}
	_ = s.Resize(ctx, rows, cols)
}
