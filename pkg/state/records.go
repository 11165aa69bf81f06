package state

import (
	"net/netip"
	"time"
)

// Org is an organization: a name and its private /48.
type Org struct {
	Slug      string       `json:"slug"`
	Name      string       `json:"name"`
	Prefix    netip.Prefix `json:"prefix"`
	CreatedAt time.Time    `json:"created_at"`
}

// App is one application of an organization.
type App struct {
	Name    string `json:"name"`
	Org     string `json:"org"`
	Network string `json:"network"`
	// Private records the --flycast intent so that no later step gives the app a public address.
	Private   bool      `json:"private"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// IP types, named as Fly's API names them.
const (
	IPTypePrivateV6 = "private_v6"
)

// IP is an address assigned to an app.
type IP struct {
	Addr      netip.Addr `json:"address"`
	App       string     `json:"app"`
	Type      string     `json:"type"`
	Region    string     `json:"region"`
	CreatedAt time.Time  `json:"created_at"`
}

// App statuses.
const (
	StatusPending  = "pending"
	StatusDeployed = "deployed"
)
