package flycast

import (
	"net/netip"
	"time"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// build reads the whole state into a snapshot.
func build(store *state.Store, cache configs, idle time.Duration) (*snapshot, error) {
	s := &snapshot{byAddr: map[netip.AddrPort]proxy.Service{}, byHost: map[string]map[uint16]proxy.Service{}, apps: map[string]appEntry{}}
	orgs, err := store.Orgs()
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		s.orgs = append(s.orgs, orgEntry{slug: o.Slug, prefix: o.Prefix})
		s.routes = append(s.routes, ipalloc.FlycastRange(o.Prefix))
	}
	apps, err := store.Apps("")
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		if err := s.addApp(store, cache, a, idle); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *snapshot) addApp(store *state.Store, cache configs, a state.App, idle time.Duration) error {
	ips, err := store.IPs(a.Name)
	if err != nil {
		return err
	}
	ms, err := store.Machines(a.Name)
	if err != nil {
		return err
	}
	e := appEntry{org: a.Org, record: dns.AppRecord{Name: a.Name}}
	for _, ip := range ips {
		e.flycast = append(e.flycast, ip.Addr)
	}
	e.record.Flycast = e.flycast
	e.record.Machines = machineRecords(ms)
	svcs, groups, err := deployedServices(store, cache, a.Name, idle)
	if err != nil {
		return err
	}
	for i := range svcs {
		svcs[i].Org = s.orgPrefix(a.Org) // the proxy refuses other organizations' callers
	}
	e.groups = groups
	s.apps[a.Name] = e
	s.index(a.Name, e.flycast, svcs)
	return nil
}

// deployedServices are the services of the app's newest complete release.
func deployedServices(store *state.Store, cache configs, app string, idle time.Duration) ([]proxy.Service, []string, error) {
	rs, err := store.Releases(app)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range rs {
		if r.Status == state.ReleaseComplete {
			cfg := cache.of(r)
			if d, ok, err := cfg.IdleTimeout(); ok && err == nil {
				idle = d // [hangar] idle_timeout of this app
			}
			return proxyServices(app, cfg, idle), serviceGroups(cfg), nil
		}
	}
	return nil, nil, nil
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
