package flycast

import (
	"context"
	"log/slog"
	"maps"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/handoff"
	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/hostpeers"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// Config is what the plane needs from the agent.
type Config struct {
	Store    *state.Store
	Machines *machine.Manager
	Log      *slog.Logger
	// Idle is how long a machine may serve nothing before it is stopped.
	Idle time.Duration
	// WakeTimeout bounds how long a request waits for a machine to come up.
	WakeTimeout time.Duration
	// Drain bounds how long open connections go on when the plane closes.
	Drain time.Duration
	// Home is the agent's directory, named in what the agent writes on the host.
	Home string
	// HostsFile is where the host's names go when systemd-resolved does not run
	// (DefaultHostsFile when empty).
	HostsFile string
	// Handoff holds the sockets a predecessor agent handed over (agent restart); nil
	// for none.
	Handoff *handoff.Handoff
	// Loopback, when set, is the fallback for an agent that may not change the host's
	// network: no routes and no fdaa::3, one proxy listener here that routes by
	// "Host: <app>.flycast".
	Loopback netip.AddrPort
}

// Plane serves every app's Flycast addresses: host routes, the proxy's listeners and
// the DNS server on fdaa::3, all kept in step with the state.
type Plane struct {
	cfg   Config
	ix    *Index
	proxy *proxy.Proxy
	dnsH  *dns.Handler
	cache configs

	// mu guards the sets below and the refresh.
	mu        sync.Mutex
	version   uint64
	routes    map[netip.Prefix]bool
	recorded  bool // the routes ledger was written since start
	listening map[netip.AddrPort]bool
	applied   chan struct{} // closed when a refresh applied a new version, then replaced
	host      *hostSide     // nil in loopback mode
	names     *names        // nil in loopback mode, or when the host's resolver cannot be told
	iso       *isolation
	done      chan struct{}
}

// DNSAddr is where machines find the private DNS server, as on Fly.io.
var DNSAddr = netip.AddrPortFrom(ipalloc.DNSAddr(), 53)

// Start puts fdaa::3 on lo, starts the DNS server and the proxy, and follows the state
// until ctx ends. Without the privilege to change the host's network it fails with
// hostnet.ErrNoPrivilege, and the agent runs without Flycast.
func Start(ctx context.Context, cfg Config) (*Plane, error) {
	if cfg.Loopback.IsValid() {
		return startLoopback(ctx, cfg)
	}
	p := &Plane{cfg: cfg, ix: &Index{}, cache: configs{}, routes: map[netip.Prefix]bool{}, listening: map[netip.AddrPort]bool{}, done: make(chan struct{}), applied: make(chan struct{})}
	p.proxy = proxy.New(proxy.Config{Catalog: p.ix, Machines: &fleet{store: cfg.Store, mgr: cfg.Machines, ix: p.ix, now: time.Now},
		Logger: cfg.Log, WakeTimeout: cfg.WakeTimeout, DrainTimeout: cfg.Drain})
	host, err := openHostSide(cfg.Store.InstallationID(), p.newDNS(), cfg.Handoff, cfg.Log)
	if err != nil {
		p.proxy.Close()
		return nil, err
	}
	p.host = host
	removeOrphanRoutes(cfg.Log)
	p.names = p.openNames()
	p.refresh()
	go p.follow(ctx)
	return p, nil
}

// openNames tells the host's resolver the apps' names, so that curl and browsers on the
// host reach <app>.flycast; without it the apps still answer by address.
func (p *Plane) openNames() *names {
	if n, ok := openResolvedNames(p.host.link.Index(), p.cfg.Log); ok {
		p.cfg.Log.Info("app names go to systemd-resolved", "link", p.host.link.Name())
		n.where = "systemd-resolved, link " + p.host.link.Name()
		return n
	}
	path := p.cfg.HostsFile
	if path == "" {
		path = DefaultHostsFile
	}
	n, err := openHostsNames(path, p.cfg.Store.InstallationID(), p.cfg.Home, p.cfg.Log)
	if err != nil {
		p.cfg.Log.Warn("app names will not resolve on the host", "error", err)
		return nil
	}
	return n
}

// newDNS is the private DNS server; the host side gives it its addresses.
func (p *Plane) newDNS() *dns.Server {
	upstreams, err := dns.UpstreamsFromResolvConf("/etc/resolv.conf", DNSAddr.Addr())
	if err != nil {
		p.cfg.Log.Warn("no upstream resolvers: only .flycast and .internal names will resolve", "error", err)
	}
	fwd := dns.NewForwarder(dns.ForwardConfig{Upstreams: upstreams})
	h := dns.NewHandler(p.ix, fwd)
	p.dnsH = h
	// A lookup of a sleeping app's name starts its wake while the client connects.
	h.OnFlycastLookup = func(_, app string, caller netip.Addr) { p.proxy.Prewake(app, "dns "+caller.String()) }
	return dns.NewServer(h, nil)
}

// follow applies every change of the state, in commit order, until ctx ends: the
// plane's one source of changes, which it passes on to the proxy (Changed) and the DNS
// index. Every few seconds it also looks at the host's links again (Docker makes an
// organization's bridge on its own schedule, and may make it again behind our back) and
// retries a snapshot the state could not give.
func (p *Plane) follow(ctx context.Context) {
	defer close(p.done)
	links := time.NewTicker(2 * time.Second)
	defer links.Stop()
	for {
		changed := p.cfg.Store.Changes() // before reading, so no change is missed
		p.refresh()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-links.C:
			p.syncHost()
		}
	}
}

// syncHost brings the host side up to date with the newest snapshot.
func (p *Plane) syncHost() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.host != nil {
		p.host.sync(p.ix.load().orgs)
		p.isolate(p.ix.load())
	}
}

// Collector exports the proxy's and the DNS server's metrics for /metrics.
func (p *Plane) Collector() prometheus.Collector {
	c := collector{proxy: p.proxy.Metrics, dns: func() dns.Metrics { return dns.Metrics{} }}
	if p.dnsH != nil {
		c.dns = p.dnsH.Metrics
	}
	return c
}

// GoingAway closes the machine's WebSockets with a close frame before it is stopped.
func (p *Plane) GoingAway(app, machineID string) { p.proxy.GoingAway(app, machineID) }

// Sync waits (up to a second) until the plane has applied the state as it is now: the
// agent calls it after changing machines, before it answers, so the next request already
// sees the change. The change itself comes through the one feed, in order.
func (p *Plane) Sync() {
	want := p.cfg.Store.Version()
	deadline := time.After(time.Second)
	for {
		p.mu.Lock()
		applied, next := p.version, p.applied
		p.mu.Unlock()
		if applied >= want {
			return
		}
		select {
		case <-next:
		case <-deadline:
			return
		}
	}
}

// announce wakes the Syncs waiting for the version just applied. Called with p.mu held.
func (p *Plane) announce() {
	close(p.applied)
	p.applied = make(chan struct{})
}

// refresh rebuilds the index when the state changed, then adds routes and listeners for new
// organizations and Flycast addresses.
func (p *Plane) refresh() {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := p.cfg.Store.Version()
	if v == p.version && p.version != 0 {
		return
	}
	snap, err := build(p.cfg.Store, p.cache, p.cfg.Idle)
	if err != nil {
		p.cfg.Log.Warn("reading the state for Flycast", "error", err)
		return
	}
	p.version = v
	defer p.announce() // after the listeners and routes below
	old := p.ix.load()
	p.ix.snap.Store(snap)
	for app := range snap.apps {
		p.proxy.Changed(app)
	}
	p.forgetGone(old, snap)
	p.trackAll(snap)
	if p.cfg.Loopback.IsValid() {
		return // one listener, no routes
	}
	p.host.sync(snap.orgs) // first: the routes' source addresses are the host side's
	p.syncRoutes(snap.routes)
	p.syncListeners(snap.listenAddrs())
	p.isolate(snap)
	if p.names != nil {
		p.names.set(hostEntries(snap), snap.resolvers())
	}
}

// syncRoutes routes every organization's Flycast range, and takes back the routes of
// organizations that are gone.
func (p *Plane) syncRoutes(prefixes []netip.Prefix) {
	held := slices.Collect(maps.Keys(p.routes))
	if !p.recorded || !sameSet(held, prefixes) {
		// Written down before the host changes, so a kill -9 at any point leaves every
		// route this agent may hold in the ledger.
		p.recordRoutes(slices.Concat(held, prefixes))
	}
	for r := range p.routes {
		if !slices.Contains(prefixes, r) {
			hostnet.RemoveLocalRoute(r)
			delete(p.routes, r)
			p.cfg.Log.Info("Flycast range no longer routed", "prefix", r)
		}
	}
	for _, r := range prefixes {
		if p.routes[r] {
			continue
		}
		if err := hostnet.AddLocalRoute(r, p.host.source(r)); err != nil {
			p.cfg.Log.Warn("adding the Flycast route", "prefix", r, "error", err)
			continue
		}
		p.routes[r] = true
		p.cfg.Log.Info("Flycast range routed to this host", "prefix", r)
	}
	if !p.recorded || !sameSet(held, prefixes) {
		p.recordRoutes(slices.Collect(maps.Keys(p.routes)))
		p.recorded = true
	}
}

// sameSet reports whether a and b hold the same prefixes.
func sameSet(a, b []netip.Prefix) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(x netip.Prefix) bool { return !slices.Contains(b, x) })
}

// syncListeners listens on every Flycast address and service port, and stops at once on
// those that are gone (a released address, a removed port, a destroyed app).
func (p *Plane) syncListeners(addrs []netip.AddrPort) {
	for a := range p.listening {
		if !slices.Contains(addrs, a) {
			p.proxy.Unlisten(a)
			delete(p.listening, a)
			p.cfg.Log.Info("proxy no longer listening", "addr", a)
		}
	}
	for _, a := range addrs {
		if p.listening[a] {
			continue
		}
		if err := p.listen(a); err != nil {
			p.cfg.Log.Warn("listening on a Flycast address", "addr", a, "error", err)
			continue
		}
		p.listening[a] = true
		p.cfg.Log.Info("proxy listening", "addr", a)
	}
}

// Close stops the proxy and the DNS server and takes back the routes and what the host
// side added. The agent has ended the context Start was given, so the plane no longer
// reads the state once Close returns.
func (p *Plane) Close() {
	<-p.done
	if p.names != nil {
		if err := p.names.close(); err != nil {
			p.cfg.Log.Warn("taking the app names back from the host", "error", err)
		}
	}
	p.proxy.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.host != nil {
		if err := p.host.close(); err != nil {
			p.cfg.Log.Warn("taking back the host's DNS set-up", "error", err)
		}
	}
	for r := range p.routes {
		hostnet.RemoveLocalRoute(r)
	}
	hostpeers.Forget(hostpeers.Dir(), p.cfg.Store.InstallationID(), routesLedger)
	p.iso.close()
}

// startLoopback is the plane without host privileges: apps answer on one loopback port.
func startLoopback(ctx context.Context, cfg Config) (*Plane, error) {
	p := &Plane{cfg: cfg, ix: &Index{}, cache: configs{}, routes: map[netip.Prefix]bool{}, listening: map[netip.AddrPort]bool{}, done: make(chan struct{}), applied: make(chan struct{})}
	p.proxy = proxy.New(proxy.Config{Catalog: p.ix, Machines: &fleet{store: cfg.Store, mgr: cfg.Machines, ix: p.ix, now: time.Now},
		Logger: cfg.Log, WakeTimeout: cfg.WakeTimeout, DrainTimeout: cfg.Drain})
	if err := p.listen(cfg.Loopback); err != nil {
		p.proxy.Close()
		return nil, err
	}
	p.refresh()
	go p.follow(ctx)
	return p, nil
}
