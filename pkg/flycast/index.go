package flycast

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// Index is a read-only snapshot of the state, rebuilt after every change, that answers
// the proxy's and the DNS server's questions without touching the database.
type Index struct {
	snap atomic.Pointer[snapshot]
}

type snapshot struct {
	byAddr map[netip.AddrPort]proxy.Service
	byHost map[string]map[uint16]proxy.Service // app → port → service
	apps   map[string]appEntry
	orgs   []orgEntry
	routes []netip.Prefix // Flycast ranges of the organizations
}

type appEntry struct {
	org     string
	flycast []netip.Addr
	groups  []string // process groups that serve its services
	record  dns.AppRecord
}

type orgEntry struct {
	slug   string
	prefix netip.Prefix
}

var (
	_ proxy.Catalog = (*Index)(nil)
	_ dns.Catalog   = (*Index)(nil)
)

func (ix *Index) load() *snapshot {
	if s := ix.snap.Load(); s != nil {
		return s
	}
	return &snapshot{}
}

// ByAddr finds the service listening at a Flycast address and port.
func (ix *Index) ByAddr(local netip.AddrPort) (proxy.Service, bool) {
	s, ok := ix.load().byAddr[netip.AddrPortFrom(local.Addr().Unmap(), local.Port())]
	return s, ok
}

// ByHost finds the service of "<app>.flycast" on a port (loopback mode).
func (ix *Index) ByHost(host string, port uint16) (proxy.Service, bool) {
	app, ok := strings.CutSuffix(strings.ToLower(strings.TrimSuffix(host, ".")), ".flycast")
	if !ok {
		return proxy.Service{}, false
	}
	s, ok := ix.load().byHost[app][port]
	return s, ok
}

// hostOrg is the organization of a DNS caller that is the host itself: it sees the
// apps of every organization, as the host reaches every organization's addresses.
const hostOrg = "*"

// OrgOf places a DNS caller: the host (loopback, fdaa::3, an organization's resolver
// address fdaa:N:N::3, where host lookups come from) sees every organization; a machine
// sees its own organization, found by its prefix.
func (ix *Index) OrgOf(caller netip.Addr) (string, bool) {
	caller = caller.Unmap()
	if caller.IsLoopback() || caller == DNSAddr.Addr() {
		return hostOrg, true
	}
	for _, o := range ix.load().orgs {
		if caller == ipalloc.OrgDNSAddr(o.prefix) {
			return hostOrg, true
		}
		if o.prefix.Contains(caller) {
			return o.slug, true
		}
	}
	return "", false
}

// App answers DNS for one app of an organization.
func (ix *Index) App(org, app string) (dns.AppRecord, bool) {
	a, ok := ix.load().apps[app]
	if !ok || (a.org != org && org != hostOrg) {
		return dns.AppRecord{}, false
	}
	return a.record, true
}

// Apps lists an organization's app names for _apps.internal.
func (ix *Index) Apps(org string) []string {
	var names []string
	for name, a := range ix.load().apps {
		if a.org == org || org == hostOrg {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// serves reports whether a machine's group serves the app's services.
func (ix *Index) serves(app, group string) bool {
	a, ok := ix.load().apps[app]
	return ok && slices.Contains(a.groups, group)
}

// configs caches parsed fly.toml per app release, so a rebuild parses only new releases.
type configs map[string]*toml.Config

func (c configs) of(r state.Release) *toml.Config {
	key := fmt.Sprintf("%s/%d", r.App, r.Version)
	if cfg, ok := c[key]; ok {
		return cfg
	}
	cfg, err := toml.Parse("fly.toml", []byte(r.Config))
	if err != nil {
		cfg = &toml.Config{}
	}
	c[key] = cfg
	return cfg
}

// prune drops the parsed releases of apps that are gone and releases no longer newest.
func (c configs) prune(apps map[string]appEntry) {
	newest := map[string]int{}
	for key := range c {
		app, v, _ := strings.Cut(key, "/")
		n, _ := strconv.Atoi(v)
		newest[app] = max(newest[app], n)
	}
	for key := range c {
		app, v, _ := strings.Cut(key, "/")
		n, _ := strconv.Atoi(v)
		if _, ok := apps[app]; !ok || n < newest[app] {
			delete(c, key)
		}
	}
}
