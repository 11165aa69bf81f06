package flycast

import (
	"context"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/hostnet"
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
	// Home is the agent's directory: a marker there remembers that this installation put
	// fdaa::3 on lo, so the next agent takes it back even after a kill -9.
	Home string
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
	dns   *dns.Server
	dnsH  *dns.Handler
	cache configs

	// mu guards the sets below and the refresh.
	mu        sync.Mutex
	version   uint64
	routes    map[netip.Prefix]bool
	listening map[netip.AddrPort]bool
	done      chan struct{}
	// ownsDNSAddr: this plane put fdaa::3 on lo, so it takes it back.
	ownsDNSAddr bool
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
	owns, err := claimDNSAddr(cfg.Home)
	if err != nil {
		return nil, err
	}
	p := &Plane{cfg: cfg, ownsDNSAddr: owns, ix: &Index{}, cache: configs{}, routes: map[netip.Prefix]bool{}, listening: map[netip.AddrPort]bool{}, done: make(chan struct{})}
	p.proxy = proxy.New(proxy.Config{Catalog: p.ix, Machines: &fleet{store: cfg.Store, mgr: cfg.Machines, ix: p.ix, now: time.Now},
		Logger: cfg.Log, WakeTimeout: cfg.WakeTimeout})
	if err := p.startDNS(); err != nil {
		p.proxy.Close()
		return nil, err
	}
	p.refresh()
	go p.follow(ctx)
	return p, nil
}

func (p *Plane) startDNS() error {
	upstreams, err := dns.UpstreamsFromResolvConf("/etc/resolv.conf", DNSAddr.Addr())
	if err != nil {
		p.cfg.Log.Warn("no upstream resolvers: only .flycast and .internal names will resolve", "error", err)
	}
	fwd := dns.NewForwarder(dns.ForwardConfig{Upstreams: upstreams})
	h := dns.NewHandler(p.ix, fwd)
	p.dnsH = h
	// A lookup of a sleeping app's name starts its wake while the client connects.
	h.OnFlycastLookup = func(_, app string, caller netip.Addr) { p.proxy.Prewake(app, "dns "+caller.String()) }
	p.dns = dns.NewServer(h, []netip.AddrPort{DNSAddr})
	return p.dns.Start()
}

// follow refreshes after every change of the state until ctx ends.
func (p *Plane) follow(ctx context.Context) {
	defer close(p.done)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			p.refresh()
		}
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

// Refresh brings the plane up to date with the state now; the agent calls it after
// changing machines, so the next request already sees the change.
func (p *Plane) Refresh() { p.refresh() }

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
	p.ix.snap.Store(snap)
	for app := range snap.apps {
		p.proxy.Changed(app)
	}
	if p.cfg.Loopback.IsValid() {
		return // one listener, no routes
	}
	p.syncRoutes(snap.routes)
	p.syncListeners(snap.listenAddrs())
}

func (p *Plane) syncRoutes(prefixes []netip.Prefix) {
	for _, r := range prefixes {
		if p.routes[r] {
			continue
		}
		if err := hostnet.AddLocalRoute(r); err != nil {
			p.cfg.Log.Warn("adding the Flycast route", "prefix", r, "error", err)
			continue
		}
		p.routes[r] = true
		p.cfg.Log.Info("Flycast range routed to this host", "prefix", r)
	}
}

func (p *Plane) syncListeners(addrs []netip.AddrPort) {
	for _, a := range addrs {
		if p.listening[a] {
			continue
		}
		if _, err := p.proxy.Listen(a); err != nil {
			p.cfg.Log.Warn("listening on a Flycast address", "addr", a, "error", err)
			continue
		}
		p.listening[a] = true
		p.cfg.Log.Info("proxy listening", "addr", a)
	}
}

// Close stops the proxy and the DNS server and takes back the routes and fdaa::3.
func (p *Plane) Close() {
	p.proxy.Close()
	if p.dns != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		p.dns.Shutdown(ctx)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for r := range p.routes {
		hostnet.RemoveLocalRoute(r)
	}
	if p.ownsDNSAddr {
		hostnet.RemoveLoopbackAddr(DNSAddr.Addr())
		os.Remove(dnsMarker(p.cfg.Home))
	}
}

func dnsMarker(home string) string { return filepath.Join(home, "dns-address.added") }

// claimDNSAddr puts fdaa::3 on lo and reports whether this installation owns it: it
// added it now, or an earlier agent of this installation did and was killed.
func claimDNSAddr(home string) (bool, error) {
	added, err := hostnet.AddLoopbackAddr(DNSAddr.Addr())
	if err != nil {
		return false, err
	}
	if added {
		return true, os.WriteFile(dnsMarker(home), nil, 0o600)
	}
	_, err = os.Stat(dnsMarker(home))
	return err == nil, nil
}

// startLoopback is the plane without host privileges: apps answer on one loopback port.
func startLoopback(ctx context.Context, cfg Config) (*Plane, error) {
	p := &Plane{cfg: cfg, ix: &Index{}, cache: configs{}, routes: map[netip.Prefix]bool{}, listening: map[netip.AddrPort]bool{}, done: make(chan struct{})}
	p.proxy = proxy.New(proxy.Config{Catalog: p.ix, Machines: &fleet{store: cfg.Store, mgr: cfg.Machines, ix: p.ix, now: time.Now},
		Logger: cfg.Log, WakeTimeout: cfg.WakeTimeout})
	if _, err := p.proxy.Listen(cfg.Loopback); err != nil {
		p.proxy.Close()
		return nil, err
	}
	p.refresh()
	go p.follow(ctx)
	return p, nil
}
