package doctor

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
)

// restartRoot restarts the agent with the privilege to route Flycast addresses.
const restartRoot = "sudo hangar agent stop && sudo hangar agent start"

// doctor runs the checks in order; later checks use what the earlier ones learned.
type doctor struct {
	ctx    context.Context
	opts   *Options
	c      Client
	health api.Health
	log    string     // the agent's log file, named in fixes
	app    string     // the first app with a Flycast address, "" when none has one
	addr   netip.Addr // that address

	results []result
}

// diagnose runs every check that can run: nothing after the agent fails to answer.
func diagnose(ctx context.Context, opts *Options) []result {
	d := &doctor{ctx: ctx, opts: opts, log: home.Log(opts.HomeDir())}
	if !d.agent() || !d.askHealth() {
		return d.results
	}
	d.engine()
	d.privileges()
	d.routes()
	d.isolation()
	if d.findApp() {
		d.dnsServers()
		d.hostResolver()
	}
	return d.results
}

func (d *doctor) add(r result) { d.results = append(d.results, r) }

// agent: the Factory's client starts the agent when none runs, as for every command.
func (d *doctor) agent() bool {
	c, err := d.opts.Client()
	var st api.AgentStatus
	if err == nil {
		d.c = c
		st, err = c.Ping(d.ctx)
	}
	if err != nil {
		d.add(fail("agent", "hangar agent start; if it does not start, read "+d.log, "the hangar agent does not answer: %v", err))
		return false
	}
	d.log = home.Log(st.Home)
	d.add(pass("agent", "hangar agent %s answers (pid %d, home %s)", st.Version, st.PID, st.Home))
	return true
}

func (d *doctor) askHealth() bool {
	h, err := d.c.Health(d.ctx)
	if err != nil {
		d.add(fail("agent", "hangar agent stop && hangar agent start (an agent older than this hangar cannot report its health)",
			"the hangar agent does not report its health: %v", err))
		return false
	}
	d.health = h
	return true
}

func (d *doctor) engine() {
	if d.health.Engine == "" {
		d.add(fail("engine", "start Docker (sudo systemctl start docker), then "+d.restart(), "no Docker engine: %s", d.health.EngineError))
		return
	}
	d.add(pass("engine", "Docker engine %s (API %s)", d.health.Engine, d.health.EngineAPI))
}

// privileges: routed Flycast addresses need root; loopback mode works, with hangar proxy.
func (d *doctor) privileges() {
	h := d.health
	switch h.FlycastMode {
	case "routes":
		d.add(pass("privileges", "Flycast addresses are routed on this host (the agent runs as root)"))
	case "loopback":
		d.add(d.loopbackWarning())
	default:
		d.add(fail("privileges", restartRoot+"; if it fails again, read "+d.log,
			"Flycast addresses and private DNS are off: %s", cmp.Or(h.FlycastError, "the agent did not start them")))
	}
}

func (d *doctor) loopbackWarning() result {
	const proxy = "or reach apps with hangar proxy <port> -a <app>"
	if !d.health.Root {
		return warn("privileges", restartRoot+", "+proxy,
			"Flycast addresses are not routed on this host: the agent is not root; reach apps with hangar proxy")
	}
	return warn("privileges", "unset HANGAR_FLYCAST_MODE, then "+restartRoot+", "+proxy,
		"Flycast addresses are not routed on this host: the agent runs with HANGAR_FLYCAST_MODE=loopback; reach apps with hangar proxy")
}

func (d *doctor) routes() {
	if why := d.skipReason(len(d.health.Routes)); why != "" {
		d.add(skip("route", "Flycast routes: skipped, %s", why))
		return
	}
	for _, rt := range d.health.Routes {
		if rt.Routed {
			d.add(pass("route", "Flycast range %s is routed to this host", rt.Prefix))
			continue
		}
		d.add(fail("route", fmt.Sprintf("sudo ip -6 route add local %s dev lo, or %s", rt.Prefix, restartRoot),
			"Flycast range %s is not routed to this host", rt.Prefix))
	}
}

// isolation: the agent's nftables table keeps each organization's machines to its own
// network; without it they reach other organizations' machines.
func (d *doctor) isolation() {
	h := d.health
	switch why := d.skipReason(len(h.Routes)); {
	case why != "":
		d.add(skip("isolation", "organization isolation: skipped, %s", why))
	case h.IsolationError != "":
		d.add(fail("isolation", "check that nftables works (nft list ruleset), then "+d.restart(),
			"organizations are not isolated from each other: %s", h.IsolationError))
	case h.Isolation == "":
		d.add(skip("isolation", "organization isolation: skipped, no organization has an app yet"))
	default:
		d.add(pass("isolation", "organizations are isolated by table %s (%d with rules; nft list table %s)", h.Isolation, h.Isolated, h.Isolation))
	}
}

// skipReason says why the checks of routed addresses do not apply, "" when they do;
// n is how many things (routes, resolvers) there are to check.
func (d *doctor) skipReason(n int) string {
	switch {
	case d.health.FlycastMode == "loopback":
		return "the agent runs in loopback mode"
	case d.health.FlycastMode != "routes":
		return "Flycast is off"
	case n == 0:
		return "no organization yet (hangar launch creates one)"
	}
	return ""
}

// findApp picks the first app by name that has a Flycast address, for the name checks.
func (d *doctor) findApp() bool {
	apps, err := d.c.ListApps(d.ctx, "")
	if err != nil {
		d.add(fail("apps", d.restart(), "listing apps: %v", err))
		return false
	}
	slices.SortFunc(apps, func(a, b api.App) int { return cmp.Compare(a.Name, b.Name) })
	for _, a := range apps { // an app destroyed meanwhile answers an error: try the next
		ips, err := d.c.ListIPs(d.ctx, a.Name)
		if addr, ok := flycastAddr(ips); err == nil && ok {
			d.app, d.addr = a.Name, addr
			return true
		}
	}
	return true
}

func flycastAddr(ips []api.IPAddress) (netip.Addr, bool) {
	for _, ip := range ips {
		if addr, err := netip.ParseAddr(ip.Address); err == nil && ip.Type == api.IPTypePrivateV6 {
			return addr, true
		}
	}
	return netip.Addr{}, false
}

// restart is the command that restarts the agent as it runs now.
func (d *doctor) restart() string {
	if d.health.Root {
		return restartRoot
	}
	return "hangar agent stop && hangar agent start"
}
