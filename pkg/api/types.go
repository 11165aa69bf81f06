// Package api is the agent's JSON API over its unix socket: the wire types, the client, and starting the agent when it is not running.
package api

import "time"

// Organization as the API shows it.
type Organization struct {
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
}

// App as the API shows it, shaped like Fly's Machines API app.
type App struct {
	Name         string       `json:"name"`
	Organization Organization `json:"organization"`
	Status       string       `json:"status"`
	Network      string       `json:"network"`
	// Private apps never get a public address.
	Private   bool      `json:"private"`
	Hostname  string    `json:"hostname"`
	CreatedAt time.Time `json:"created_at"`
}

// IPAddress is one address assigned to an app.
type IPAddress struct {
	Address   string    `json:"address"`
	Type      string    `json:"type"`
	Region    string    `json:"region"`
	CreatedAt time.Time `json:"created_at"`
}

// Machine is one machine of an app (containers arrive with deploy).
type Machine struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	State     string    `json:"state"`
	Region    string    `json:"region"`
	PrivateIP string    `json:"private_ip"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateAppRequest is POST /v1/apps.
type CreateAppRequest struct {
	AppName string `json:"app_name"`
	OrgSlug string `json:"org_slug"`
	// PrivateIPv6 allocates a Flycast address together with the app, all or nothing.
	PrivateIPv6 bool `json:"private_ipv6"`
}

// CreateAppResponse is the created app and the addresses created with it.
type CreateAppResponse struct {
	App App         `json:"app"`
	IPs []IPAddress `json:"ips"`
}

// AllocateIPRequest is POST /v1/apps/{app}/ips.
type AllocateIPRequest struct {
	Type string `json:"type"`
}

// AgentStatus is GET /v1/agent.
type AgentStatus struct {
	PID       int       `json:"pid"`
	Version   string    `json:"version"`
	Home      string    `json:"home"`
	StartedAt time.Time `json:"started_at"`
}

// ErrorBody is how every failing request answers.
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

// IP address types, as Fly names them.
const (
	IPTypePrivateV6 = "private_v6"
)
