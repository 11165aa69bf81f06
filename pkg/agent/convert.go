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

func toAPIMachine(m state.Machine) api.Machine {
	ip := ""
	if m.PrivateIP.IsValid() {
		ip = m.PrivateIP.String()
	}
	return api.Machine{
		ID: m.ID, Name: m.Name, State: m.State, SleepTier: m.Tier(), Region: m.Region, PrivateIP: ip, Image: m.Image,
		Version: m.Version, ProcessGroup: m.Group, InternalPort: m.Config.InternalPort,
		Guest:    api.Guest{CPUKind: m.Config.CPUKind, CPUs: m.Config.CPUs, MemoryMB: m.Config.MemoryMB},
		ExitCode: m.ExitCode, LastError: m.LastError, LastWake: m.LastWake, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
}

func toAPIMachines(ms []state.Machine) []api.Machine {
	out := make([]api.Machine, 0, len(ms))
	for _, m := range ms {
		out = append(out, toAPIMachine(m))
	}
	return out
}

func toAPIRelease(r state.Release) api.Release {
	return api.Release{Version: r.Version, Status: r.Status, Image: r.Image, Strategy: r.Strategy, Reason: r.Reason, CreatedAt: r.CreatedAt}
}
