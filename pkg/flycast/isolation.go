package flycast

import (
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/hostpeers"
)

// isolation keeps organizations apart on the host: the installation's own nftables table
// drops what a machine sends to another organization's 6PN or Flycast addresses (see
// hostnet.IsolateOrgs). It follows the state, not Docker's networks: an organization's
// rules come with its first app, before its network and first machine exist, and go with
// its last app, when its network is removed; the table goes with the last organization
// and when the agent stops. The rules match addresses, so they need no bridge to exist.
// The plane has none in loopback mode, where the agent may not change the host's network.
type isolation struct {
	table   string
	log     *slog.Logger
	applied []netip.Prefix // what the table holds, once applied is true
	ok      bool
	checked time.Time // when the table was last looked at
	failure string    // the last error, logged once
}

// isolationCheck is how often the table is looked at between changes, so rules someone
// flushed are put back.
const isolationCheck = 2 * time.Second

// isolationTable is the installation's table: two agents on one host never touch each
// other's.
func isolationTable(installation string) string { return "hangar_" + installation }

// isolate brings the table in line with the snapshot; the plane calls it on every
// refresh and every few seconds, holding p.mu.
func (p *Plane) isolate(s *snapshot) {
	if p.iso == nil {
		p.iso = &isolation{table: isolationTable(p.cfg.Store.InstallationID()), log: p.cfg.Log}
		p.iso.removeStale()
	}
	p.iso.sync(isolatedOrgs(s))
}

// isolatedOrgs are the prefixes of the organizations that have apps.
func isolatedOrgs(s *snapshot) []netip.Prefix {
	withApps := map[string]bool{}
	for _, a := range s.apps {
		withApps[a.org] = true
	}
	var out []netip.Prefix
	for _, o := range s.orgs {
		if withApps[o.slug] {
			out = append(out, o.prefix)
		}
	}
	slices.SortFunc(out, netip.Prefix.Compare)
	return out
}

func (i *isolation) sync(orgs []netip.Prefix) {
	if i.ok && slices.Equal(orgs, i.applied) {
		if time.Since(i.checked) < isolationCheck {
			return
		}
		i.checked = time.Now()
		if intact, err := hostnet.IsolationIntact(i.table, orgs); err != nil || intact {
			return
		}
		i.log.Warn("the organizations' isolation rules were changed behind the agent's back; putting them back", "table", "inet "+i.table)
	}
	if err := hostnet.IsolateOrgs(i.table, orgs); err != nil {
		i.ok = false
		if err.Error() != i.failure {
			i.failure = err.Error()
			i.log.Warn("organizations are not isolated from each other", "error", err)
		}
		return
	}
	i.applied, i.ok, i.checked, i.failure = orgs, true, time.Now(), ""
	i.log.Info("organizations isolated", "table", "inet "+i.table, "organizations", len(orgs))
}

// close removes the table.
func (i *isolation) close() {
	if i == nil {
		return
	}
	if err := hostnet.RemoveIsolation(i.table); err != nil {
		i.log.Warn("removing the organizations' isolation rules", "table", "inet "+i.table, "error", err)
	}
}

// removeStale deletes the tables of installations whose agents are gone: one killed
// with SIGKILL could not take its table back, and its installation may never start again.
func (i *isolation) removeStale() {
	tables, err := hostnet.IsolationTables(isolationTable(""))
	if err != nil {
		return // the table's own sync reports what is wrong with nftables
	}
	for _, t := range tables {
		id := strings.TrimPrefix(t, isolationTable(""))
		if t == i.table || hostpeers.Alive(hostpeers.Dir(), id) {
			continue
		}
		if err := hostnet.RemoveIsolation(t); err != nil {
			i.log.Warn("removing a stopped agent's isolation rules", "table", "inet "+t, "error", err)
			continue
		}
		i.log.Info("removed the isolation rules of an agent that is gone", "table", "inet "+t)
	}
}
