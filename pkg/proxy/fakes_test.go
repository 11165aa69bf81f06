package proxy

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// fakeMachines plays the daemon's machine manager with real loopback
// servers as machines. Start opens a machine's listener only after
// startDelay, so the proxy's dial loop meets refused connections first;
// Stop closes the listener and every connection to it.
type fakeMachines struct {
	t    testing.TB
	app  appFunc
	port uint16         // every machine's app listens on it
	v6   bool           // the machines have IPv6 addresses
	wg   sync.WaitGroup // the machines' server goroutines

	// mu guards everything below, which tests set before traffic starts.
	mu          sync.Mutex
	ms          []*fakeMachine
	startDelay  time.Duration
	startGate   chan struct{} // Start blocks until closed
	stopGate    chan struct{} // Stop blocks until closed
	listGate    chan struct{} // List blocks until closed
	startErr    error         // Start fails with it
	stopErr     error         // Stop fails with it, after its gate, and the machine runs on
	listErr     error         // List fails with it
	failure     string        // Failure's answer once a machine was started
	failState   bool          // a started machine lists as failed
	neverListen bool          // a started machine never opens its port
	openAtStart bool          // Start returns with the port already open
	violations  []string
	asked       int // calls of Failure: the dial loop asks before each attempt
	lists       int // calls of List that reached its gate
}

// appFunc serves one machine's app on ln and returns how to stop it.
type appFunc func(m *fakeMachine, ln net.Listener, wg *sync.WaitGroup) (stop func())

type fakeMachine struct {
	id      string
	addr    netip.Addr
	port    uint16
	opening sync.WaitGroup // the delayed open after a Start

	// Guarded by fakeMachines.mu.
	state     MachineState
	stopGate  chan struct{} // this machine's Stop blocks until closed, instead of at fakeMachines.stopGate
	starts    int
	stops     int
	suspended bool // the last Stop was a suspend
	stopApp   func()
	openedAt  time.Time // when its app last started listening
}

var _ Machines = (*fakeMachines)(nil)

var fakeIDs = []string{"3d8d9e3f", "5683d2e4", "9e784e1a"}

// newFakeMachines makes one stopped machine per address, all on one free port.
func newFakeMachines(t testing.TB, app appFunc, addrs ...netip.Addr) *fakeMachines {
	t.Helper()
	f := &fakeMachines{t: t, app: app, port: freePort(t, addrs), v6: addrs[0].Is6(), startDelay: 5 * time.Millisecond}
	for i, a := range addrs {
		f.ms = append(f.ms, &fakeMachine{id: fakeIDs[i], addr: a, port: f.port, state: StateStopped})
	}
	t.Cleanup(f.close)
	return f
}

func loopbacks(n int) []netip.Addr {
	var out []netip.Addr
	for i := range n {
		out = append(out, netip.AddrFrom4([4]byte{127, 0, 0, byte(i + 1)}))
	}
	return out
}

// freePort finds a port that every address can bind.
func freePort(t testing.TB, addrs []netip.Addr) uint16 {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", netip.AddrPortFrom(addrs[0], 0).String())
		if err != nil {
			t.Fatal(err)
		}
		port := addrPortOf(ln.Addr()).Port()
		ok := true
		for _, a := range addrs[1:] {
			other, err := net.Listen("tcp", netip.AddrPortFrom(a, port).String())
			if err != nil {
				ok = false
				break
			}
			_ = other.Close()
		}
		_ = ln.Close()
		if ok {
			return port
		}
	}
	t.Fatal("no port free on every address")
	return 0
}

func (f *fakeMachines) get(id string) *fakeMachine {
	for _, m := range f.ms {
		if m.id == id {
			return m
		}
	}
	f.t.Errorf("unknown machine %q", id)
	return &fakeMachine{}
}

func (f *fakeMachines) List(app string) ([]Machine, error) {
	f.mu.Lock()
	gate := f.listGate
	f.lists++
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, f.listErr
	}
	var out []Machine
	for _, m := range f.ms {
		out = append(out, Machine{ID: m.id, State: m.state, Addr: m.addr})
	}
	return out, nil
}

func (f *fakeMachines) Start(ctx context.Context, app, id string) error {
	f.mu.Lock()
	m, gate := f.get(id), f.startGate
	if m.state == StateStopping {
		f.violations = append(f.violations, "Start of "+id+" while it was stopping")
	}
	m.starts++
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.mu.Lock()
	openNow, err := f.started(m)
	f.mu.Unlock()
	if openNow {
		f.open(m)
	}
	return err
}

// started moves a machine to its state after Start and schedules its app.
// Called with f.mu held; openNow asks the caller to open the app itself.
func (f *fakeMachines) started(m *fakeMachine) (openNow bool, err error) {
	if f.startErr != nil {
		return false, f.startErr
	}
	m.state = StateStarted
	if f.failState {
		m.state = StateFailed
	}
	switch {
	case f.neverListen || m.stopApp != nil:
		return false, nil
	case f.openAtStart:
		return true, nil
	}
	m.opening.Add(1)
	go f.openAfter(m, f.startDelay)
	return false, nil
}

func (f *fakeMachines) openAfter(m *fakeMachine, d time.Duration) {
	defer m.opening.Done()
	time.Sleep(d)
	f.open(m)
}

// open starts the machine's app on its address and port.
func (f *fakeMachines) open(m *fakeMachine) {
	ln, err := net.Listen("tcp", netip.AddrPortFrom(m.addr, m.port).String())
	if err != nil {
		f.t.Errorf("machine %s: %v", m.id, err)
		return
	}
	opened := time.Now()
	stop := f.app(m, ln, &f.wg)
	f.mu.Lock()
	m.stopApp, m.openedAt = stop, opened
	f.mu.Unlock()
}

func (f *fakeMachines) Stop(ctx context.Context, app, id string, suspend bool) error {
	f.mu.Lock()
	m, gate := f.get(id), f.stopGate
	if m.stopGate != nil {
		gate = m.stopGate
	}
	m.state, m.suspended = StateStopping, suspend
	m.stops++
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := f.stopFailed(m); err != nil {
		return err
	}
	m.opening.Wait()
	f.mu.Lock()
	stop := m.stopApp
	m.stopApp = nil
	f.mu.Unlock()
	if stop != nil {
		stop()
	}
	f.mu.Lock()
	m.state = map[bool]MachineState{false: StateStopped, true: StateSuspended}[suspend]
	f.mu.Unlock()
	return nil
}

// stopFailed fails a Stop as the engine might: the machine goes on running.
func (f *fakeMachines) stopFailed(m *fakeMachine) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopErr != nil {
		m.state = StateStarted
	}
	return f.stopErr
}

func (f *fakeMachines) Failure(app, id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked++
	if f.get(id).starts > 0 {
		return f.failure
	}
	return ""
}

// runNow starts a machine behind the proxy's back (as a deploy would) and
// returns once its port is open.
func (f *fakeMachines) runNow(id string) {
	f.mu.Lock()
	m := f.get(id)
	m.state = StateStarted
	f.mu.Unlock()
	f.open(m)
}

func (f *fakeMachines) set(fn func(f *fakeMachines)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// counts returns how often Start and Stop were called, over all machines.
func (f *fakeMachines) counts() (starts, stops int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.ms {
		starts += m.starts
		stops += m.stops
	}
	return starts, stops
}

// close stops every machine's app; it runs after the proxy closed, so no
// Start comes in meanwhile.
func (f *fakeMachines) close() {
	for _, m := range f.ms {
		m.opening.Wait()
	}
	f.mu.Lock()
	var stops []func()
	for _, m := range f.ms {
		if m.stopApp != nil {
			stops = append(stops, m.stopApp)
			m.stopApp = nil
		}
	}
	vs := f.violations
	f.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	f.wg.Wait()
	for _, v := range vs {
		f.t.Error(v)
	}
}

// httpApp serves handler(m) on each machine; stopping it drops every connection.
func httpApp(handler func(m *fakeMachine) http.Handler) appFunc {
	return func(m *fakeMachine, ln net.Listener, wg *sync.WaitGroup) func() {
		srv := &http.Server{Handler: handler(m)}
		wg.Go(func() { _ = srv.Serve(ln) })
		return func() { _ = srv.Close() }
	}
}

// hello answers "hello from <machine>".
func hello(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "hello from %s", m.id)
	})
}

// echoApp is a raw TCP machine that echoes what it reads and, once the
// client half-closed, sends "EOF" and half-closes too.
func echoApp(m *fakeMachine, ln net.Listener, wg *sync.WaitGroup) func() {
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Go(func() {
				if _, err := io.Copy(c, c); err == nil {
					_, _ = io.WriteString(c, "EOF")
				}
				_ = c.(*net.TCPConn).CloseWrite()
			})
		}
	})
	return func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for c := range conns {
			_ = c.Close()
		}
	}
}

// fakeCatalog routes by exact address or "host:port".
type fakeCatalog struct {
	mu     sync.Mutex
	byAddr map[netip.AddrPort]Service
	byHost map[string]Service
}

var _ Catalog = (*fakeCatalog)(nil)

func newFakeCatalog() *fakeCatalog {
	return &fakeCatalog{byAddr: map[netip.AddrPort]Service{}, byHost: map[string]Service{}}
}

func (c *fakeCatalog) ByAddr(local netip.AddrPort) (Service, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	svc, ok := c.byAddr[local]
	return svc, ok
}

func (c *fakeCatalog) ByHost(host string, port uint16) (Service, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	svc, ok := c.byHost[fmt.Sprintf("%s:%d", host, port)]
	return svc, ok
}

func (c *fakeCatalog) addAddr(ap netip.AddrPort, svc Service) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byAddr[ap] = svc
}

func (c *fakeCatalog) addHost(hostport string, svc Service) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byHost[hostport] = svc
}

func (c *fakeCatalog) removeAddr(ap netip.AddrPort) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byAddr, ap)
}

// newGate returns a channel a fake blocks on and the func that opens it,
// which also runs at cleanup so a failing test does not leave it shut.
func newGate(t testing.TB) (chan struct{}, func()) {
	gate := make(chan struct{})
	open := sync.OnceFunc(func() { close(gate) })
	t.Cleanup(open)
	return gate, open
}
