package flycast

import (
	"log/slog"
	"net/netip"
	"slices"

	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/hostpeers"
)

// routesLedger is the kind of ledger that lists an agent's Flycast routes: a route
// outlives an agent killed with SIGKILL, and the next agent to start takes it back.
const routesLedger = "routes"

// recordRoutes writes down the routes this agent may hold. Called with p.mu held.
func (p *Plane) recordRoutes(routes []netip.Prefix) {
	var lines []string
	for _, r := range routes {
		lines = append(lines, r.String())
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	if err := hostpeers.Record(hostpeers.Dir(), p.cfg.Store.InstallationID(), routesLedger, lines); err != nil {
		p.cfg.Log.Warn("writing down the Flycast routes", "error", err)
	}
}

// removeOrphanRoutes takes back the routes of agents that are gone.
func removeOrphanRoutes(log *slog.Logger) {
	for id, prefixes := range hostpeers.Orphans(hostpeers.Dir(), routesLedger) {
		for _, s := range prefixes {
			if r, err := netip.ParsePrefix(s); err == nil {
				hostnet.RemoveLocalRoute(r)
			}
		}
		hostpeers.Forget(hostpeers.Dir(), id, routesLedger)
		log.Info("removed the Flycast routes of an agent that is gone", "installation", id, "routes", len(prefixes))
	}
}
