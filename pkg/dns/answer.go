package dns

import (
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Fly answers .internal with a 5 s TTL because it follows machine starts
// and stops; Flycast addresses only change when released, so they keep
// longer. Each zone's SOA carries the same value as its negative TTL.
const (
	ttlInternal = 5
	ttlFlycast  = 60
)

// node is what a private name holds: whether it exists at all (NXDOMAIN
// otherwise), and its records of every type.
type node struct {
	exists bool
	rrs    []dns.RR
}

func (z zone) apex() string {
	if z == zoneFlycast {
		return "flycast."
	}
	return "internal."
}

func (z zone) ttl() uint32 {
	if z == zoneFlycast {
		return ttlFlycast
	}
	return ttlInternal
}

// resolve returns the node named by lk in org, with owner as the records'
// name so that the answer echoes the question's spelling.
func (h *Handler) resolve(org string, lk lookup, owner string) node {
	ttl := lk.zone.ttl()
	switch lk.kind {
	case kindNone:
		return node{}
	case kindApex:
		return node{true, []dns.RR{soa(lk.zone)}}
	case kindAppsTXT:
		return node{true, txtRRs(owner, ttl, strings.Join(h.Catalog.Apps(org), ","))}
	}
	app, ok := h.Catalog.App(org, lk.app)
	if !ok {
		return node{}
	}
	return appNode(app, lk, owner, ttl)
}

// appNode answers the names below an existing app.
func appNode(app AppRecord, lk lookup, owner string, ttl uint32) node {
	ms := app.Machines
	switch lk.kind {
	case kindFlycast:
		return node{len(app.Flycast) > 0, addrRRs(owner, ttl, app.Flycast)}
	case kindApp:
		return machineNode(owner, ttl, ms, anyMachine, true)
	case kindRegion:
		return machineNode(owner, ttl, ms, field(lk.sel, func(m MachineRecord) string { return m.Region }), false)
	case kindProcess:
		return machineNode(owner, ttl, ms, field(lk.sel, func(m MachineRecord) string { return m.Group }), false)
	case kindVM:
		return vmNode(owner, ttl, ms, lk.sel)
	case kindNearest:
		addrs := started(ms, anyMachine)
		return node{true, addrRRs(owner, ttl, addrs[:min(lk.n, len(addrs))])}
	case kindVMsTXT:
		return node{true, txtRRs(owner, ttl, vmsText(ms, lk.all))}
	case kindRegionsTXT:
		return node{true, txtRRs(owner, ttl, regionsText(ms, lk.all))}
	}
	return node{exists: true} // kindBranch
}

func anyMachine(MachineRecord) bool { return true }

// field matches the machines whose field equals want, ignoring case.
func field(want string, of func(MachineRecord) string) func(MachineRecord) bool {
	return func(m MachineRecord) bool { return strings.EqualFold(of(m), want) }
}

// machineNode answers with the started machines that match; the name
// exists when the app does (always) or when any machine matches.
func machineNode(owner string, ttl uint32, ms []MachineRecord, match func(MachineRecord) bool, always bool) node {
	exists := always || slices.ContainsFunc(ms, match)
	return node{exists, addrRRs(owner, ttl, started(ms, match))}
}

// vmNode answers <id>.vm.<app>.internal whatever the machine's state.
func vmNode(owner string, ttl uint32, ms []MachineRecord, id string) node {
	i := slices.IndexFunc(ms, field(id, func(m MachineRecord) string { return m.ID }))
	if i < 0 {
		return node{}
	}
	return node{true, addrRRs(owner, ttl, []netip.Addr{ms[i].Addr})}
}

func started(ms []MachineRecord, match func(MachineRecord) bool) []netip.Addr {
	var addrs []netip.Addr
	for _, m := range ms {
		if m.Started && match(m) {
			addrs = append(addrs, m.Addr)
		}
	}
	return addrs
}

// addrRRs returns an A or AAAA record per valid address.
func addrRRs(owner string, ttl uint32, addrs []netip.Addr) []dns.RR {
	rrs := make([]dns.RR, 0, len(addrs))
	for _, a := range addrs {
		switch a = a.Unmap(); {
		case a.Is4():
			rrs = append(rrs, &dns.A{Hdr: header(owner, dns.TypeA, ttl), A: net.IP(a.AsSlice())})
		case a.Is6():
			rrs = append(rrs, &dns.AAAA{Hdr: header(owner, dns.TypeAAAA, ttl), AAAA: net.IP(a.AsSlice())})
		}
	}
	return rrs
}

func header(owner string, rrtype uint16, ttl uint32) dns.RR_Header {
	return dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassINET, Ttl: ttl}
}

// soa is the zone's SOA, sent in the authority section of negative answers
// so that resolvers cache them for the zone's TTL and no longer.
func soa(z zone) *dns.SOA {
	apex, ttl := z.apex(), z.ttl()
	return &dns.SOA{
		Hdr: header(apex, dns.TypeSOA, ttl),
		Ns:  "ns." + apex, Mbox: "hostmaster." + apex,
		Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: ttl,
	}
}

// ofType keeps the records of the asked type (all of them for ANY).
func ofType(rrs []dns.RR, qtype uint16) []dns.RR {
	if qtype == dns.TypeANY {
		return rrs
	}
	kept := rrs[:0]
	for _, rr := range rrs {
		if rr.Header().Rrtype == qtype {
			kept = append(kept, rr)
		}
	}
	return kept
}
