package flycast

import (
	"net/netip"
	"time"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// build reads the whole state into a snapshot, in one read transaction of the state.
func build(store *state.Store, cache configs, idle time.Duration) (*snapshot, error) {
	st, err := store.Snapshot()
	if err != nil {
		return nil, err
	}
	s := &snapshot{byAddr: map[netip.AddrPort]proxy.Service{}, byHost: map[string]map[uint16]proxy.Service{}, apps: map[string]appEntry{}}
	for _, o := range st.Orgs {
		s.orgs = append(s.orgs, orgEntry{slug: o.Slug, prefix: o.Prefix})
		s.routes = append(s.routes, ipalloc.FlycastRange(o.Prefix))
	}
	for _, a := range st.Apps {
		s.addApp(cache, a, idle)
	}
	return s, nil
}

func (s *snapshot) addApp(cache configs, a state.AppSnapshot, idle time.Duration) {
	e := appEntry{org: a.App.Org, record: dns.AppRecord{Name: a.App.Name}}
	for _, ip := range a.IPs {
		e.flycast = append(e.flycast, ip.Addr)
	}
	e.record.Flycast = e.flycast
	e.record.Machines = machineRecords(a.Machines)
	svcs, groups := deployedServices(cache, a, idle)
	for i := range svcs {
		svcs[i].Org = s.orgPrefix(a.App.Org) // the proxy refuses other organizations' callers
	}
	e.groups = groups
	s.apps[a.App.Name] = e
	s.index(a.App.Name, e.flycast, svcs)
}

// deployedServices are the services of the app's newest complete release.
func deployedServices(cache configs, a state.AppSnapshot, idle time.Duration) ([]proxy.Service, []string) {
	if a.Deployed == nil {
		return nil, nil
	}
	cfg := cache.of(*a.Deployed)
	if d, ok, err := cfg.IdleTimeout(); ok && err == nil {
		idle = d // [hangar] idle_timeout of this app
	}
	return proxyServices(a.App.Name, cfg, idle), serviceGroups(cfg)
}

// orgPrefix is the /48 of an organization of the snapshot, zero if it has none.
func (s *snapshot) orgPrefix(slug string) netip.Prefix {
	for _, o := range s.orgs {
		if o.slug == slug {
			return o.prefix
		}
	}
	return netip.Prefix{}
}

func (s *snapshot) index(app string, addrs []netip.Addr, svcs []proxy.Service) {
	if len(svcs) > 0 {
		s.byHost[app] = map[uint16]proxy.Service{}
	}
	for _, svc := range svcs {
		s.byHost[app][svc.Port] = svc
		for _, a := range addrs {
			s.byAddr[netip.AddrPortFrom(a, svc.Port)] = svc
		}
	}
}

func machineRecords(ms []state.Machine) []dns.MachineRecord {
	var out []dns.MachineRecord
	for _, m := range ms {
		out = append(out, dns.MachineRecord{ID: m.ID, Region: m.Region, Group: m.Group, Addr: m.PrivateIP, Started: m.State == state.MachineStarted})
	}
	return out
}

// listenAddrs are the Flycast address and port pairs the proxy must listen on.
func (s *snapshot) listenAddrs() []netip.AddrPort {
	var out []netip.AddrPort
	for ap := range s.byAddr {
		out = append(out, ap)
	}
	return out
}
