// Package machinetest fakes the organization network a machine.Manager dials,
// for tests that run machines on a runtimetest engine.
package machinetest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"syscall"
	"testing"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/runtimetest"
)

// Network answers dials to the 6PN addresses of a fake engine's containers:
// a running container accepts, as if its server listened on every port,
// unless its image was set to crash or to never listen. Accepted
// connections reach one HTTP handler (200 OK unless Serve says otherwise).
type Network struct {
	engine *runtimetest.Engine
	server *httptest.Server

	mu      sync.Mutex
	crashes map[string]crash // by image
	deaf    map[string]bool  // by image
	handler http.Handler
	dials   []string
	hook    func(runtime.Container) error
}

type crash struct {
	code int
	logs string
}

// New returns a Network over engine, closed when the test ends.
func New(t testing.TB, engine *runtimetest.Engine) *Network {
	n := &Network{engine: engine, crashes: map[string]crash{}, deaf: map[string]bool{}}
	n.server = httptest.NewServer(http.HandlerFunc(n.serveHTTP))
	t.Cleanup(n.server.Close)
	return n
}

// Crash makes containers of image exit with code, after logging logs, when first dialled.
func (n *Network) Crash(image string, code int, logs string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.crashes[image] = crash{code, logs}
}

// Deaf makes containers of image run without ever listening.
func (n *Network) Deaf(image string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.deaf[image] = true
}

// Intercept runs fn on every dial that reaches a running container; an
// error refuses the dial (fn may also make the container exit).
func (n *Network) Intercept(fn func(runtime.Container) error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.hook = fn
}

// Serve sets what accepted HTTP requests get.
func (n *Network) Serve(h http.Handler) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.handler = h
}

// Dials lists the addresses dialled so far.
func (n *Network) Dials() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.dials...)
}

func (n *Network) serveHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	h := n.handler
	n.mu.Unlock()
	if h == nil {
		fmt.Fprintln(w, "ok")
		return
	}
	h.ServeHTTP(w, r)
}

// Dial is a machine.DialFunc.
func (n *Network) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dials = append(n.dials, addr)
	n.mu.Unlock()
	c, err := n.running(ctx, addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	if err := n.misbehave(c); err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", n.server.Listener.Addr().String())
}

// running finds the running app container at addr's IP: one with that address, or
// one sharing the network of a container with it. A sandbox (labelled
// hangar.role=sandbox) holds the address but listens on nothing: a dial refused.
func (n *Network) running(ctx context.Context, addr string) (runtime.Container, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return runtime.Container{}, err
	}
	list, err := n.engine.ListContainers(ctx, nil)
	if err != nil {
		return runtime.Container{}, err
	}
	held := false
	for _, c := range list {
		owner, ok := n.engine.NetworkOwner(c)
		if !ok || owner.IPv6Address != ap.Addr() || owner.State != runtime.StateRunning || c.State != runtime.StateRunning {
			continue
		}
		if c.Labels[sandboxRole] != "sandbox" {
			return c, nil
		}
		held = true
	}
	if held {
		return runtime.Container{}, syscall.ECONNREFUSED
	}
	return runtime.Container{}, syscall.EHOSTUNREACH
}

// sandboxRole is machine.LabelRole, which this package cannot import.
const sandboxRole = "hangar.role"

// misbehave crashes or ignores the dial as the container's image was told to.
func (n *Network) misbehave(c runtime.Container) error {
	n.mu.Lock()
	cr, crashes := n.crashes[c.Image]
	deaf, hook := n.deaf[c.Image], n.hook
	n.mu.Unlock()
	if hook != nil {
		if err := hook(c); err != nil {
			return err
		}
	}
	switch {
	case crashes:
		n.engine.SetLogs(c.ID, cr.logs)
		n.engine.Exit(c.ID, cr.code)
		return syscall.ECONNREFUSED
	case deaf:
		return syscall.ECONNREFUSED
	}
	return nil
}
