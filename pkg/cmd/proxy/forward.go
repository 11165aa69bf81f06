package proxy

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
)

// forwarder gives each accepted connection a stream of its own through the agent.
type forwarder struct {
	dial   func(ctx context.Context) (net.Conn, error)
	remote string // "[host]:port", for error lines

	// mu keeps error lines of concurrent connections whole.
	mu     sync.Mutex
	errOut io.Writer

	wg sync.WaitGroup // one per connection
}

// serve accepts until ctx ends, then closes the listener and every open connection,
// and returns nil once their goroutines are done.
func (f *forwarder) serve(ctx context.Context, ln net.Listener) error {
	defer f.wg.Wait()
	ctx, cancel := context.WithCancel(ctx) // also ends the connections if Accept fails
	defer cancel()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accepting local connections: %w", err)
		}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			f.forward(ctx, c)
		}()
	}
}

// forward joins one local connection to its stream; one that cannot be opened gets an
// error line and is closed, and the proxy goes on.
func (f *forwarder) forward(ctx context.Context, c net.Conn) {
	defer c.Close()
	up, err := f.dial(ctx)
	if err != nil {
		if ctx.Err() == nil {
			f.mu.Lock()
			fmt.Fprintf(f.errOut, "Error: proxying a connection to %s: %v\n", f.remote, err)
			f.mu.Unlock()
		}
		return
	}
	defer up.Close()
	splice(ctx, c, up)
}

// splice copies both ways until both directions ended. The end of one side's data is
// passed on as a half-close while the other direction keeps flowing (a client may send
// its whole input, then read the answer); an error on either side closes both, and so
// does ctx ending.
func splice(ctx context.Context, local, remote net.Conn) {
	stop := context.AfterFunc(ctx, func() {
		local.Close()
		remote.Close()
	})
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pass(remote, local)
	}()
	pass(local, remote)
	<-done
}

// pass copies src to dst, then half-closes dst.
func pass(dst, src net.Conn) {
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		src.Close()
		return
	}
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
		return
	}
	dst.Close()
}
