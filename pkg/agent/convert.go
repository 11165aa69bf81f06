package agent

import (
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/state"
)

// The API shows explicit output structs, never database records.

func toAPIOrg(o state.Org) api.Organization {
	return api.Organization{Slug: o.Slug, Name: o.Name, Prefix: o.Prefix.String(), CreatedAt: o.CreatedAt}
}

func toAPIApp(a state.App, o state.Org) api.App {
	return api.App{
		Name:         a.Name,
		Organization: toAPIOrg(o),
		Status:       a.Status,
		Network:      a.Network,
		Private:      a.Private,
		Hostname:     a.Name + ".flycast",
		CreatedAt:    a.CreatedAt,
	}
}

func toAPIIP(ip state.IP) api.IPAddress {
	return api.IPAddress{Address: ip.Addr.String(), Type: ip.Type, Region: ip.Region, CreatedAt: ip.CreatedAt}
}

func toAPIIPs(ips []state.IP) []api.IPAddress {
	out := make([]api.IPAddress, 0, len(ips))
	for _, ip := range ips {
		out = append(out, toAPIIP(ip))
	}
	return out
}
