package proxy

import (
	"context"
	"errors"
	"io"
	"net"
)

// serveTCPAsync splices a raw TCP connection in a goroutine the proxy owns.
func (p *Proxy) serveTCPAsync(c net.Conn, svc Service) {
	if !p.track(c) {
		_ = c.Close()
		return
	}
	go func() {
		defer p.untrack(c)
		p.serveTCP(c, svc)
	}()
}

// track registers a connection so Close can wait for it and then cut it.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	p.wg.Add(1)
	p.flight.add()
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	_ = c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	p.flight.done()
	p.wg.Done()
}

// serveTCP holds a connection while its app wakes, dials the leased
// machine, and copies both ways; an open connection keeps the machine awake.
// A connection that cannot be served is closed, and the reason logged.
func (p *Proxy) serveTCP(c net.Conn, svc Service) {
	client := addrPortOf(c.RemoteAddr()).Addr().String()
	l, err := p.acquire(p.base, svc, cause{source: client, host: c.LocalAddr().String()})
	if err != nil {
		p.log.Info("closing connection", "app", svc.App, "port", svc.Port, "client", client, "err", err)
		return
	}
	defer l.release()
	up, err := l.app.dial(p.base, "tcp", l.target(svc.InternalPort))
	if err != nil {
		if isDialError(err) {
			l.suspect()
		}
		p.log.Info("closing connection", "app", svc.App, "port", svc.Port, "client", client, "err", l.upstreamError(err))
		return
	}
	defer func() { _ = up.Close() }()
	var first func()
	if l.wake != nil {
		first = l.firstByte
	}
	splice(p.base, c, up, first)
}

// splice copies both ways until both directions end. A side that finishes
// sending is passed on as a half-close, so request/response protocols end
// cleanly; an error on either side, or ctx ending, closes both.
func splice(ctx context.Context, client, up net.Conn, first func()) {
	stop := context.AfterFunc(ctx, func() {
		_ = client.Close()
		_ = up.Close()
	})
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pipe(up, client, nil)
	}()
	pipe(client, up, first)
	<-done
}

// pipe copies src to dst, then half-closes dst; on error it closes both.
func pipe(dst, src net.Conn, first func()) {
	err := copyFirst(dst, src, first)
	if err == nil {
		err = closeWrite(dst)
	}
	if err != nil {
		_ = dst.Close()
		_ = src.Close()
	}
}

// copyFirst is io.Copy that calls first (when set) once src sent something.
func copyFirst(dst io.Writer, src io.Reader, first func()) error {
	if first != nil {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			first()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
	_, err := io.Copy(dst, src)
	return err
}

func closeWrite(c net.Conn) error {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Close()
}
