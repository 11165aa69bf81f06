package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"

	"github.com/miekg/dns"
)

// flyPrivate holds every 6PN, Flycast and resolver address (fdaa::3).
var flyPrivate = netip.MustParsePrefix("fdaa::/16")

// PrivateListenAddr reports whether the server may listen on a: loopback,
// or inside fdaa::/16. Anything else, wildcards included, could make the
// resolver answer the organization's names to the outside.
func PrivateListenAddr(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	return a.IsLoopback() || flyPrivate.Contains(a)
}

// Server serves a Handler over UDP and TCP on each of its addresses.
type Server struct {
	handler *Handler
	addrs   []netip.AddrPort
	invalid error // why addrs cannot be served, found by NewServer

	mu sync.Mutex
	// guarded by mu
	bound   []netip.AddrPort
	servers []*dns.Server
	binds   map[Bind]*pair // added while serving, see Add
	inherit Inheritor      // sockets of a predecessor agent, see InheritFrom
	serving sync.WaitGroup // one per dns.Server's serve loop

	failMu sync.Mutex
	// guarded by failMu
	failed []error // serve loops that ended with an error
}

// NewServer returns a Server for h on addrs, port 0 choosing a free port.
// Start refuses addresses that are not private (ErrNotPrivate). The
// server owns h: Shutdown also waits for h's OnFlycastLookup calls, so
// give each Server its own Handler.
func NewServer(h *Handler, addrs []netip.AddrPort) *Server {
	s := &Server{handler: h, addrs: slices.Clone(addrs)}
	if len(addrs) == 0 {
		s.invalid = ErrNoAddress
	}
	for _, a := range addrs {
		if !PrivateListenAddr(a.Addr()) {
			s.invalid = fmt.Errorf("listening on %s: %w", a, ErrNotPrivate)
			break
		}
	}
	return s
}

// Start binds every address over UDP and TCP and returns once all of them
// are served. On error nothing is left listening.
func (s *Server) Start() error {
	if s.invalid != nil {
		return s.invalid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.servers != nil {
		return ErrStarted
	}
	s.bound = nil
	for _, a := range s.addrs {
		if err := s.listen(a); err != nil {
			s.stop(context.Background())
			s.bound = nil
			return fmt.Errorf("listening on %s: %w", a, err)
		}
	}
	return nil
}

// listen binds a and starts serving it.
func (s *Server) listen(a netip.AddrPort) error {
	pc, ln, err := bindPair(Bind{Addr: a})
	if err != nil {
		return err
	}
	udp := &dns.Server{PacketConn: pc, Handler: s.handler, UDPSize: dns.DefaultMsgSize}
	tcp := &dns.Server{Listener: ln, Handler: s.handler}
	if err := errors.Join(s.serve(udp), s.serve(tcp)); err != nil {
		pc.Close()
		ln.Close()
		return err
	}
	s.bound = append(s.bound, netip.AddrPortFrom(a.Addr(), ln.Addr().(*net.TCPAddr).AddrPort().Port()))
	return nil
}

// serve runs srv's loop, once it serves, among those Shutdown stops first.
func (s *Server) serve(srv *dns.Server) error {
	if err := s.serveOne(srv); err != nil {
		return err
	}
	s.servers = append(s.servers, srv)
	return nil
}

// record keeps the error a serve loop ended with, for Shutdown to report.
func (s *Server) record(err error) error {
	if err != nil {
		s.failMu.Lock()
		s.failed = append(s.failed, err)
		s.failMu.Unlock()
	}
	return err
}

// Addrs returns the bound addresses once started (with the ports chosen
// for port 0), the configured ones before.
func (s *Server) Addrs() []netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bound != nil {
		return slices.Clone(s.bound)
	}
	return slices.Clone(s.addrs)
}

// Shutdown stops listening and waits, at most until ctx is done, for the
// queries being answered and the OnFlycastLookup calls still running.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stop(ctx)
}

func (s *Server) stop(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.ShutdownContext(ctx))
	}
	s.servers = nil
	for b, p := range s.binds {
		errs = append(errs, p.udp.ShutdownContext(ctx), p.tcp.ShutdownContext(ctx))
		delete(s.binds, b)
	}
	errs = append(errs, wait(ctx, &s.serving), wait(ctx, &s.handler.hooks.wg))
	s.failMu.Lock()
	errs, s.failed = append(errs, s.failed...), nil
	s.failMu.Unlock()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shutting down dns server: %w", err)
	}
	return nil
}

// wait waits for wg, or for ctx.
func wait(ctx context.Context, wg *sync.WaitGroup) error {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
