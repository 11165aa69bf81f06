package api

import (
	"context"
	"net/http"
)

// Health is what the agent knows of its own set-up, for hangar doctor.
type Health struct {
	// Engine is the container engine's version, "" when none answers (EngineError says why).
	Engine      string `json:"engine"`
	EngineAPI   string `json:"engine_api"`
	EngineError string `json:"engine_error,omitempty"`
	// Root: the agent runs with the privilege to change the host's network.
	Root bool `json:"root"`
	// FlycastMode is "routes" (Flycast addresses routed on this host), "loopback" (one
	// loopback port by Host header) or "off" (FlycastError says why).
	FlycastMode  string        `json:"flycast_mode"`
	FlycastError string        `json:"flycast_error,omitempty"`
	Loopback     string        `json:"loopback,omitempty"`
	Routes       []HealthRoute `json:"routes"`
	// DNS lists the sockets the private DNS server answers on.
	DNS []string `json:"dns"`
	// Resolvers are this installation's resolver addresses on the host (fdaa:N:N::3).
	Resolvers []string `json:"resolvers"`
	// HostNames says where app names are published for the host ("" when nowhere).
	HostNames string `json:"host_names"`
	// Isolation is the nftables table keeping organizations apart ("" before the first
	// organization has an app), with how many it holds and why it is missing.
	Isolation      string `json:"isolation,omitempty"`
	Isolated       int    `json:"isolated_orgs"`
	IsolationError string `json:"isolation_error,omitempty"`
}

// HealthRoute is one organization's Flycast range.
type HealthRoute struct {
	Prefix string `json:"prefix"`
	Routed bool   `json:"routed"`
}

// Health asks the agent for its set-up.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	err := c.do(ctx, http.MethodGet, "/v1/agent/health", nil, &h)
	return h, err
}
