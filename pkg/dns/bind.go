package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/miekg/dns"
)

// Bind is one address the server answers on, and the network device it is bound to
// ("" for any). Sockets bound to different devices share an address: each installation
// of Hangar answers fdaa::3 on its own organizations' bridges, so a machine always asks
// the agent that owns it, however many agents run on the host.
type Bind struct {
	Addr   netip.AddrPort
	Device string
}

func (b Bind) String() string {
	if b.Device == "" {
		return b.Addr.String()
	}
	return b.Addr.String() + "%" + b.Device
}

// pair is the UDP and TCP servers of one Bind.
type pair struct{ udp, tcp *dns.Server }

// Add starts answering on b while the server runs, next to the addresses Start bound.
func (s *Server) Add(b Bind) error {
	if !PrivateListenAddr(b.Addr.Addr()) {
		return fmt.Errorf("listening on %s: %w", b, ErrNotPrivate)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.binds[b]; ok {
		return nil
	}
	pc, ln, err := s.sockets(b)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", b, err)
	}
	p := &pair{udp: &dns.Server{PacketConn: pc, Handler: s.handler, UDPSize: dns.DefaultMsgSize},
		tcp: &dns.Server{Listener: ln, Handler: s.handler}}
	if err := errors.Join(s.serveOne(p.udp), s.serveOne(p.tcp)); err != nil {
		pc.Close()
		ln.Close()
		return fmt.Errorf("listening on %s: %w", b, err)
	}
	if s.binds == nil {
		s.binds = map[Bind]*pair{}
	}
	s.binds[b] = p
	return nil
}

// Remove stops answering on b (a bridge that went away); queries being answered on it
// get a second to finish.
func (s *Server) Remove(b Bind) {
	s.mu.Lock()
	p, ok := s.binds[b]
	delete(s.binds, b)
	s.mu.Unlock()
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p.udp.ShutdownContext(ctx)
	p.tcp.ShutdownContext(ctx)
}

// Binds lists what Add bound.
func (s *Server) Binds() []Bind {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Bind, 0, len(s.binds))
	for b := range s.binds {
		out = append(out, b)
	}
	return out
}

// serveOne runs srv's loop and returns once it is serving; Shutdown stops it.
func (s *Server) serveOne(srv *dns.Server) error {
	started := make(chan struct{})
	ended := make(chan error, 1)
	srv.NotifyStartedFunc = func() { close(started) }
	s.serving.Go(func() { ended <- s.record(srv.ActivateAndServe()) })
	select {
	case <-started:
		return nil
	case err := <-ended:
		return err
	}
}

// Inheritor hands over sockets a predecessor agent served, by name; nil when none.
type Inheritor interface {
	PacketConn(name string) (net.PacketConn, error)
	Listener(name string) (net.Listener, error)
}

// InheritFrom makes Add take a bind's sockets from h when it has them, so queries queued
// during a restart are answered by this server.
func (s *Server) InheritFrom(h Inheritor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inherit = h
}

// sockets are b's inherited sockets, or new ones.
func (s *Server) sockets(b Bind) (net.PacketConn, net.Listener, error) {
	if s.inherit != nil {
		pc, perr := s.inherit.PacketConn("dns udp " + b.String())
		ln, lerr := s.inherit.Listener("dns tcp " + b.String())
		if pc != nil && ln != nil && perr == nil && lerr == nil {
			return pc, ln, nil
		}
		if pc != nil {
			pc.Close()
		}
		if ln != nil {
			ln.Close()
		}
	}
	return bindPair(b)
}

// HandoffFiles are the sockets of every bind, for a successor agent.
func (s *Server) HandoffFiles() (map[string]*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]*os.File{}
	for b, p := range s.binds {
		pf, err := p.udp.PacketConn.(*net.UDPConn).File()
		if err != nil {
			return nil, err
		}
		lf, err := p.tcp.Listener.(*net.TCPListener).File()
		if err != nil {
			pf.Close()
			return nil, err
		}
		out["dns udp "+b.String()], out["dns tcp "+b.String()] = pf, lf
	}
	return out, nil
}
