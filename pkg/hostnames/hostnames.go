// Package hostnames publishes an installation's private names (<app>.flycast, <app>.internal) to the host's system resolver.
package hostnames

import (
	"net/netip"
	"slices"
	"strings"
)

// Entry is one name and the addresses it resolves to on the host.
type Entry struct {
	Name  string
	Addrs []netip.Addr
}

// Publisher makes names resolvable on the host: HostsFile where systemd-resolved does not run, Resolved where it does.
type Publisher interface {
	// Publish replaces everything this installation published with entries.
	Publish(entries []Entry) error
	// Close takes back everything this installation published; Publish fails afterwards.
	Close() error
}

var (
	_ Publisher = (*HostsFile)(nil)
	_ Publisher = (*Resolved)(nil)
)

// App is what Names needs to know of one app.
type App struct {
	Name     string
	Flycast  []netip.Addr
	Machines []Machine
}

// Machine is what Names needs to know of one machine.
type Machine struct {
	ID      string
	Addr    netip.Addr
	Started bool
}

// Names lists the names apps answer to on the host, sorted by name: <app>.flycast for the app's Flycast
// addresses, <app>.internal for its started machines, and <id>.vm.<app>.internal for each machine, started
// or not, as on Fly.io. A name without addresses is left out.
func Names(apps []App) []Entry {
	var out []Entry
	for _, app := range apps {
		out = appendEntry(out, app.Name+".flycast", app.Flycast)
		var started []netip.Addr
		for _, m := range app.Machines {
			if m.Started {
				started = append(started, m.Addr)
			}
			out = appendEntry(out, m.ID+".vm."+app.Name+".internal", []netip.Addr{m.Addr})
		}
		out = appendEntry(out, app.Name+".internal", started)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// appendEntry appends name with the valid addresses of addrs, sorted and without duplicates, unless none is left.
func appendEntry(out []Entry, name string, addrs []netip.Addr) []Entry {
	addrs = slices.DeleteFunc(slices.Clone(addrs), func(a netip.Addr) bool { return !a.IsValid() })
	if len(addrs) == 0 {
		return out
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	return append(out, Entry{Name: name, Addrs: slices.Compact(addrs)})
}
