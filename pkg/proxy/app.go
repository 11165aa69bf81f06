package proxy

import (
	"container/list"
	"context"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// app is the proxy's view of one app: its machines with their load and
// readiness, the wake in flight, and the requests waiting for capacity.
type app struct {
	p         *Proxy
	name      string
	transport *http.Transport
	listedAt  atomic.Int64 // clock time of the last List in unix ns; 0: a change since, list again
	// For the queue's tests and benchmark: how many waiters were woken, and how many
	// sleep now (see rouse).
	woken  atomic.Uint64
	asleep atomic.Int64

	// mu guards everything below.
	mu         sync.Mutex
	svc        Service // the service used last; its settings drive idle stops
	machines   map[string]*machine
	wake       *wake     // the wake in flight, nil when none
	queue      list.List // *waiter: requests and connections waiting, first come first served
	quietUntil time.Time // no scale-out before this, after a failed wake
	spare      net.Conn  // the last wake's dial, for the first request after it
	spareAt    time.Time
	listErr    error // why the last List failed, nil when it did not
}

// machine is one machine as the proxy tracks it: its lifecycle (machine.go)
// and its load.
type machine struct {
	id   string
	addr netip.Addr // as last listed; a restarted machine may get another
	machineState

	active    int       // leases held: in-flight requests and open connections
	idleSince time.Time // when active last dropped to 0
	timer     Timer     // pending idle check, nil when none
}

// stopTimer cancels the machine's pending idle check.
func (m *machine) stopTimer() {
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
}

func (p *Proxy) app(name string) *app {
	if a, ok := p.apps.Load(name); ok {
		return a.(*app)
	}
	a, _ := p.apps.LoadOrStore(name, newApp(p, name))
	return a.(*app)
}

// Changed tells the proxy that the daemon changed an app's machines (a stop or suspend
// from the CLI, a deploy, an engine event): the next request reads the list again
// instead of trusting what the proxy saw, so it never dials a machine that went away.
func (p *Proxy) Changed(name string) {
	v, ok := p.apps.Load(name)
	if !ok {
		return
	}
	a := v.(*app)
	a.listedAt.Store(0)
	if a.waiting() {
		// Requests waiting may be served by what changed (a machine a deploy started):
		// read the list now rather than at the next request.
		p.wg.Add(1)
		go func() { defer p.wg.Done(); a.refreshIfChanged() }()
	}
}

// waiting reports whether requests or connections wait in the app's queue.
func (a *app) waiting() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.queue.Len() > 0
}

func newApp(p *Proxy, name string) *app {
	a := &app{p: p, name: name, machines: map[string]*machine{}}
	a.transport = newTransport(a.dial)
	return a
}

// newTransport talks plain HTTP/1.1 to machines and passes bodies through
// untouched (no transparent gzip).
func newTransport(dial func(context.Context, string, string) (net.Conn, error)) *http.Transport {
	return &http.Transport{
		DialContext:           dial,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       30 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
	}
}

// refresh reads the daemon's machine list; refreshIfChanged does so only after a
// change (Changed, from the plane's one feed of the state's changes, or one of the
// proxy's own transitions that left the list in doubt), and only one caller does it.
func (a *app) refresh() {
	list, err := a.p.machines.List(a.name)
	a.listedAt.Store(a.p.clock.Now().UnixNano())
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.listErr = err; err == nil {
		a.apply(list)
	}
}

func (a *app) refreshIfChanged() {
	if a.listedAt.CompareAndSwap(0, a.p.clock.Now().UnixNano()) {
		a.refresh()
	}
}

// apply merges the daemon's list into the machines; those the proxy is waking
// or stopping keep their phase (machineState.listed). A machine started behind
// the proxy's back (a deploy, the CLI) is offered to the requests waiting at once,
// rather than when the stop or wake they wait behind ends.
func (a *app) apply(list []Machine) {
	seen := make(map[string]bool, len(list))
	started := false
	for _, lm := range list {
		seen[lm.ID] = true
		started = a.applyOne(lm) || started
	}
	for id, m := range a.machines {
		if !seen[id] && m.unlisted() {
			a.forget(m)
		}
	}
	if started {
		a.broadcast()
	}
}

// applyOne merges one listed machine and reports whether it just came up.
func (a *app) applyOne(lm Machine) bool {
	m := a.machines[lm.ID]
	if m == nil {
		m = &machine{id: lm.ID}
		a.machines[lm.ID] = m
	}
	if lm.Addr.IsValid() {
		m.addr = lm.Addr
	}
	started := m.listed(lm.State)
	if started && m.active == 0 {
		a.becameIdle(m) // started behind the proxy's back, e.g. by a deploy
	}
	return started
}

// forget drops a machine the daemon no longer lists; its leases still
// release into it harmlessly.
func (a *app) forget(m *machine) {
	m.stopTimer()
	delete(a.machines, m.id)
}

// anyReachable reports whether some machine serves port, however loaded.
func (a *app) anyReachable(port uint16) bool {
	for _, m := range a.machines {
		if m.reachable(port) {
			return true
		}
	}
	return false
}

// closeConns drops the app's idle and spare connections; Close's last step.
func (a *app) closeConns() {
	a.mu.Lock()
	a.dropSpare()
	a.mu.Unlock()
	a.transport.CloseIdleConnections()
}
