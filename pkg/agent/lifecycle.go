package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/home"
)

func (s *Server) agentStatus(*http.Request) (any, error) {
	return api.AgentStatus{PID: os.Getpid(), Version: s.version, Home: s.home, StartedAt: s.started}, nil
}

func (s *Server) agentStop(*http.Request) (any, error) {
	s.log.Info("stop requested over the API")
	go s.stop()
	return nil, nil
}

// Serve listens on the socket in s.home and answers until ctx ends or a stop request
// arrives. It stops in order: the API finishes the requests in flight, then the machine
// runner and the Flycast plane stop, so nothing reads the state once Serve returns.
func (s *Server) Serve(ctx context.Context) error {
	ln, err := s.apiListener(home.Socket(s.home))
	if err != nil {
		return err
	}
	s.api = ln
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.stop, s.life = cancel, ctx
	// The plane first: the machine manager's hooks read s.plane once they run.
	s.plane = s.startFlycast(ctx)
	s.handoff.CloseRest() // sockets of things that went away during the hand-off
	runner := make(chan struct{})
	go func() {
		defer close(runner)
		if s.mgr != nil {
			s.runMachines(ctx)
		}
	}()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.log.Info("hangar agent listening", "socket", ln.Addr().String(), "pid", os.Getpid(), "version", s.version)
	select {
	case <-ctx.Done():
	case err = <-served:
		cancel()
	}
	s.shutdown(srv, ln, runner)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// shutdown waits for the API's requests in flight (up to 5 s), then for the machine
// runner, then closes the plane: taking back what it added to the host, or, when a new
// agent took over, leaving all of it to that agent.
func (s *Server) shutdown(srv *http.Server, ln net.Listener, runner <-chan struct{}) {
	handover := s.handingOver.Load()
	if ul, ok := ln.(*net.UnixListener); ok && handover {
		ul.SetUnlinkOnClose(false) // the socket path is the new agent's now
	}
	shut, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	_ = srv.Shutdown(shut)
	<-runner
	switch {
	case s.plane == nil:
	case handover:
		s.plane.Release()
	default:
		s.plane.Close()
	}
	if !handover {
		s.handoff.Stop()
	}
}

// listenSocket binds the API socket owner-only, replacing a stale socket nobody answers on.
func listenSocket(path string) (net.Listener, error) {
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("another hangar agent is already answering on %s: stop it with hangar agent stop", path)
	}
	_ = os.Remove(path)
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("restricting %s to its owner: %w", path, err)
	}
	return ln, nil
}

// runMachines keeps machine records true to the engine until the agent stops.
func (s *Server) runMachines(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { s.scheduleSnapshots(ctx, time.Hour) })
	if err := s.mgr.Run(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("following the container engine stopped", "error", err)
	}
}

// startFlycast serves Flycast addresses and DNS when configured; without the privilege
// the agent goes on without them and says so once.
func (s *Server) startFlycast(ctx context.Context) *flycast.Plane {
	if s.flycast == nil || s.mgr == nil {
		return nil
	}
	plane, err := flycast.Start(ctx, flycast.Config{Store: s.store, Machines: s.mgr, Log: s.log,
		Idle: s.flycast.Idle, WakeTimeout: s.flycast.WakeTimeout, Drain: s.flycast.Drain, Home: s.home, Loopback: s.flycast.Loopback, HostsFile: s.flycast.HostsFile, Handoff: s.handoff})
	if err != nil {
		s.flycastErr = err.Error()
		s.log.Warn("Flycast addresses and private DNS are off: apps are reachable only on their machines' 6PN addresses", "error", err)
		return nil
	}
	if s.flycast.Loopback.IsValid() {
		s.log.Warn("Flycast addresses are not routed (no root, or HANGAR_FLYCAST_MODE=loopback): apps answer on loopback by Host header",
			"addr", s.flycast.Loopback, "try", "curl -H 'Host: <app>.flycast' http://"+s.flycast.Loopback.String()+"/")
		return plane
	}
	s.log.Info("Flycast proxy and private DNS running", "dns", flycast.DNSAddr)
	return plane
}

// metrics serves Prometheus text: the proxy's and DNS server's counters when Flycast runs,
// and Go's own process metrics.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector())
	if s.plane != nil {
		reg.MustRegister(s.plane.Collector())
	}
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}
