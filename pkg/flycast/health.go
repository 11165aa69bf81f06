package flycast

import (
	"net/netip"
	"slices"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/hostnet"
)

// Health is what the plane serves now, for hangar doctor.
type Health struct {
	Loopback netip.AddrPort // set in loopback mode
	// Routes are the organizations' Flycast ranges, and whether the host routes them.
	Routes []RouteHealth
	// DNS lists the sockets the DNS server answers on ("[fdaa::3]:53%br-…").
	DNS []string
	// Resolvers are this installation's own resolver addresses on the host (fdaa:N:N::3),
	// where a host-side query reaches this installation whatever other agents run.
	Resolvers []netip.Addr
	// Names says where app names are published for the host's resolver ("" when not).
	Names string
	// Isolation names the nftables table that keeps organizations apart ("" before
	// the first organization has an app); IsolationError says why it is not in place.
	Isolation, IsolationError string
	// Isolated is how many organizations the table holds rules for.
	Isolated int
}

// RouteHealth is one Flycast range.
type RouteHealth struct {
	Prefix netip.Prefix
	Routed bool
}

// Health reports the plane's routes, DNS sockets and host names.
func (p *Plane) Health() Health {
	h := Health{Loopback: p.cfg.Loopback}
	snap := p.ix.load()
	if h.Loopback.IsValid() {
		return h
	}
	for _, r := range snap.routes {
		ok, err := hostnet.HasLocalRoute(r)
		h.Routes = append(h.Routes, RouteHealth{Prefix: r, Routed: ok && err == nil})
	}
	for _, o := range snap.orgs {
		h.Resolvers = append(h.Resolvers, ipalloc.OrgDNSAddr(o.prefix))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.host != nil {
		for b := range p.host.served {
			h.DNS = append(h.DNS, b.String())
		}
		slices.Sort(h.DNS)
	}
	if p.names != nil {
		h.Names = p.names.where
	}
	if p.iso != nil {
		h.Isolation, h.IsolationError, h.Isolated = "inet "+p.iso.table, p.iso.failure, len(p.iso.applied)
	}
	return h
}
