package doctor

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// dnsServers sends a real query to each of the installation's resolver addresses.
func (d *doctor) dnsServers() {
	if why := d.skipReason(len(d.health.Resolvers)); why != "" {
		d.add(skip("dns", "DNS server: skipped, %s", why))
		return
	}
	for _, server := range d.health.Resolvers {
		d.add(d.askDNS(server))
	}
}

// askDNS asks server for the app's AAAA record, or, with no app, for _apps.internal TXT,
// where any reply at all shows the server answers.
func (d *doctor) askDNS(server string) result {
	m, q := d.question()
	ctx, cancel := context.WithTimeout(d.ctx, queryTimeout)
	defer cancel()
	r, err := d.opts.Exchange(ctx, m, net.JoinHostPort(server, "53"))
	fix := d.restart() + ", then hangar agent status; the agent log is " + d.log
	switch {
	case err != nil:
		return fail("dns", fix, "DNS server %s did not answer %s: %v", server, q, err)
	case d.app == "":
		return pass("dns", "DNS server %s answers %s (%s)", server, q, dns.RcodeToString[r.Rcode])
	case slices.Contains(addrsOf(r), d.addr):
		return pass("dns", "DNS server %s answers %s with %s", server, q, d.addr)
	}
	return fail("dns", fix, "DNS server %s answers %s with %s, want %s", server, q, replyText(r), d.addr)
}

// question is the query askDNS sends, and how the report names it ("web.flycast AAAA").
func (d *doctor) question() (*dns.Msg, string) {
	m := new(dns.Msg)
	if d.app == "" {
		m.SetQuestion("_apps.internal.", dns.TypeTXT)
	} else {
		m.SetQuestion(d.app+".flycast.", dns.TypeAAAA)
	}
	q := m.Question[0]
	return m, strings.TrimSuffix(q.Name, ".") + " " + dns.TypeToString[q.Qtype]
}

func addrsOf(r *dns.Msg) []netip.Addr {
	var addrs []netip.Addr
	for _, rr := range r.Answer {
		if aaaa, ok := rr.(*dns.AAAA); ok {
			if a, ok := netip.AddrFromSlice(aaaa.AAAA); ok {
				addrs = append(addrs, a.Unmap())
			}
		}
	}
	return addrs
}

// replyText is what a reply said: its addresses, or its rcode when it has none.
func replyText(r *dns.Msg) string {
	addrs := addrsOf(r)
	if len(addrs) == 0 {
		return "no address (" + dns.RcodeToString[r.Rcode] + ")"
	}
	return addrList(addrs)
}

func addrList(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// hostResolver looks the app's name up as every program on the host would.
func (d *doctor) hostResolver() {
	switch {
	case d.health.FlycastMode == "loopback":
		d.add(skip("resolver", "system resolver: skipped, names do not resolve in loopback mode: use hangar proxy <port> -a %s", cmp.Or(d.app, "<app>")))
	case d.health.FlycastMode != "routes":
		d.add(skip("resolver", "system resolver: skipped, Flycast is off"))
	case d.app == "":
		d.add(skip("resolver", "system resolver: skipped, no app has a Flycast address yet (hangar launch creates one)"))
	default:
		d.add(d.lookupHost())
	}
}

func (d *doctor) lookupHost() result {
	name := d.app + ".flycast"
	ctx, cancel := context.WithTimeout(d.ctx, queryTimeout)
	defer cancel()
	addrs, err := d.opts.LookupIP(ctx, "ip6", name)
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	switch {
	case err != nil:
		return fail("resolver", d.resolverFix(), "system resolver does not find %s: %v", name, err)
	case !slices.Contains(addrs, d.addr):
		return fail("resolver", d.resolverFix(), "system resolver finds %s at %s, want %s", name, addrList(addrs), d.addr)
	}
	if d.health.HostNames == "" {
		return pass("resolver", "system resolver finds %s at %s", name, d.addr)
	}
	return pass("resolver", "system resolver finds %s at %s (%s)", name, d.addr, d.health.HostNames)
}

// resolverFix depends on where the agent publishes the names.
func (d *doctor) resolverFix() string {
	where := d.health.HostNames
	switch {
	case where == "" && !d.health.Root:
		return "the agent publishes app names only as root: " + restartRoot
	case where == "":
		return "the agent could not publish app names (" + d.log + " says why): " + restartRoot
	case strings.HasPrefix(where, "hosts file "):
		path := strings.TrimPrefix(where, "hosts file ")
		return fmt.Sprintf("check that %s is writable by the agent, then grep -n -e hangar -e %s.flycast %s", path, d.app, path)
	case strings.HasPrefix(where, "systemd-resolved"):
		return fmt.Sprintf("resolvectl status; resolvectl query %s.flycast", d.app)
	}
	return d.restart()
}
