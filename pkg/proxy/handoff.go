package proxy

import (
	"net"
	"net/netip"
	"sync"
)

// Serve takes a connection that reached the daemon some other way than one of the
// proxy's listeners (`hangar proxy` tunnels through the agent's socket) and serves it
// exactly as if it had been accepted at local, a Flycast address and service port: a
// sleeping app is woken, an HTTP service gets the HTTP handling and a raw TCP one is
// spliced, with half-closes passed on when c supports CloseWrite. Once the proxy is
// closed Serve closes c and returns ErrClosed; after that Close drains and cuts handed
// connections like accepted ones.
func (p *Proxy) Serve(c net.Conn, local netip.AddrPort) error {
	h, err := p.handoff()
	if err != nil {
		_ = c.Close()
		return err
	}
	return h.push(&handedConn{Conn: c, local: local})
}

// handoff returns the proxy's in-process listener, starting it on first use. It is one
// of p.listeners, served by the one HTTP server through a routeListener like the
// others, so route decides HTTP or TCP and shut closes it. It is looked up there, and
// started in the same critical section, so two first hand-offs start one listener.
func (p *Proxy) handoff() (*handoffListener, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	for _, ln := range p.listeners {
		if rl, ok := ln.(*routeListener); ok {
			if h, ok := rl.Listener.(*handoffListener); ok {
				return h, nil
			}
		}
	}
	h := &handoffListener{conns: make(chan net.Conn), closed: make(chan struct{})}
	rl := &routeListener{Listener: h, p: p}
	p.listeners = append(p.listeners, rl)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = p.srv.Serve(rl) // ends only when closed: nothing to log
	}()
	return h, nil
}

// handoffListener accepts the connections handed to Serve.
type handoffListener struct {
	conns     chan net.Conn // unbuffered: a hand-off waits for the accept loop
	closed    chan struct{}
	closeOnce sync.Once
}

func (l *handoffListener) push(c net.Conn) error {
	select {
	case l.conns <- c:
		return nil
	case <-l.closed:
		_ = c.Close()
		return ErrClosed
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return handoffAddr{} }

type handoffAddr struct{}

func (handoffAddr) Network() string { return "handoff" }
func (handoffAddr) String() string  { return "in-process hand-off" }

// handedConn reports the address it was handed over for, so route finds the service
// there. Its client is c's own when that is a TCP address; otherwise (a socket pair
// from the agent) the client is on this host, so it counts as loopback.
type handedConn struct {
	net.Conn
	local netip.AddrPort
}

func (c *handedConn) LocalAddr() net.Addr { return net.TCPAddrFromAddrPort(c.local) }

func (c *handedConn) RemoteAddr() net.Addr {
	if ta, ok := c.Conn.RemoteAddr().(*net.TCPAddr); ok {
		return ta
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.IPv6Loopback(), 0))
}

// CloseWrite passes a half-close on to the client, as the TCP splice does on a socket.
func (c *handedConn) CloseWrite() error { return closeWrite(c.Conn) }
