package dns

import (
	"maps"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// Catalog is what the handler knows about organizations, apps and
// machines. The agent implements it from its state. App and region names
// reach it in lower case. Implementations must be safe for concurrent use
// and treat the records they return as read-only.
type Catalog interface {
	// OrgOf returns the organization a caller belongs to, by its source
	// address: a machine's 6PN address, or loopback for the default org.
	// ok=false means an unknown caller, refused for the private zones.
	OrgOf(caller netip.Addr) (org string, ok bool)
	// App returns one app of the organization.
	App(org, app string) (AppRecord, bool)
	// Apps returns the names of the organization's apps, sorted.
	Apps(org string) []string
}

// AppRecord is an app as DNS sees it.
type AppRecord struct {
	Name     string
	Flycast  []netip.Addr
	Machines []MachineRecord
}

// MachineRecord is one machine of an app.
type MachineRecord struct {
	ID      string
	Region  string
	Group   string
	Addr    netip.Addr
	Started bool
}

// StaticCatalog is an in-memory Catalog. Callers are matched by the
// address of any machine it holds, by prefixes added with AddCallers, and
// loopback callers belong to the default org.
type StaticCatalog struct {
	defaultOrg string

	mu sync.RWMutex
	// guarded by mu
	apps     map[string]map[string]AppRecord // org → lower-case name → app
	machines map[netip.Addr]string           // machine address → org
	prefixes []callerPrefix
}

type callerPrefix struct {
	prefix netip.Prefix
	org    string
}

var _ Catalog = (*StaticCatalog)(nil)

// NewStaticCatalog returns an empty catalog; loopback callers belong to
// defaultOrg, or are unknown when it is empty.
func NewStaticCatalog(defaultOrg string) *StaticCatalog {
	return &StaticCatalog{defaultOrg: defaultOrg, apps: map[string]map[string]AppRecord{}}
}

// SetApp adds or replaces an app of org. The record is copied.
func (c *StaticCatalog) SetApp(org string, app AppRecord) {
	app.Name = strings.ToLower(app.Name)
	app.Flycast = slices.Clone(app.Flycast)
	app.Machines = slices.Clone(app.Machines)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.apps[org] == nil {
		c.apps[org] = map[string]AppRecord{}
	}
	c.apps[org][app.Name] = app
	c.reindex()
}

// RemoveApp deletes an app of org; removing a missing app does nothing.
func (c *StaticCatalog) RemoveApp(org, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.apps[org], strings.ToLower(name))
	c.reindex()
}

// AddCallers makes every address in p a caller of org (for example a
// WireGuard peer's range). Machine addresses and loopback take precedence.
func (c *StaticCatalog) AddCallers(p netip.Prefix, org string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prefixes = append(c.prefixes, callerPrefix{p.Masked(), org})
}

// reindex rebuilds the machine address index; mutations are rare.
func (c *StaticCatalog) reindex() {
	c.machines = map[netip.Addr]string{}
	for org, apps := range c.apps {
		for _, app := range apps {
			for _, m := range app.Machines {
				if m.Addr.IsValid() {
					c.machines[m.Addr.Unmap().WithZone("")] = org
				}
			}
		}
	}
}

// OrgOf implements Catalog.
func (c *StaticCatalog) OrgOf(caller netip.Addr) (string, bool) {
	caller = caller.Unmap().WithZone("")
	if caller.IsLoopback() {
		return c.defaultOrg, c.defaultOrg != ""
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if org, ok := c.machines[caller]; ok {
		return org, true
	}
	for _, p := range c.prefixes {
		if p.prefix.Contains(caller) {
			return p.org, true
		}
	}
	return "", false
}

// App implements Catalog.
func (c *StaticCatalog) App(org, app string) (AppRecord, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	a, ok := c.apps[org][app]
	return a, ok
}

// Apps implements Catalog.
func (c *StaticCatalog) Apps(org string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.apps[org]))
}
