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

// Machine is one machine of an app, shaped like Fly's Machines API machine.
type Machine struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	State        string    `json:"state"`
	SleepTier    string    `json:"sleep_tier,omitempty"` // suspend, stop or cold; empty while awake
	Region       string    `json:"region"`
	PrivateIP    string    `json:"private_ip"`
	Image        string    `json:"image"`
	Version      int       `json:"version"`
	ProcessGroup string    `json:"process_group"`
	InternalPort int       `json:"internal_port,omitempty"`
	Guest        Guest     `json:"guest"`
	ExitCode     int       `json:"exit_code,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	LastWake     time.Time `json:"last_wake,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Guest is a machine's size.
type Guest struct {
	CPUKind  string `json:"cpu_kind"`
	CPUs     int    `json:"cpus"`
	MemoryMB int    `json:"memory_mb"`
}

// Release is one deploy of an app.
type Release struct {
	Version   int       `json:"version"`
	Status    string    `json:"status"`
	Image     string    `json:"image"`
	Strategy  string    `json:"strategy"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// DeployRequest is POST /v1/apps/{app}/deploy; the answer is a stream of DeployEvents.
type DeployRequest struct {
	Config      string `json:"config"`      // the fly.toml text
	ConfigPath  string `json:"config_path"` // for messages
	Image       string `json:"image,omitempty"`
	BuildDir    string `json:"build_dir,omitempty"`
	HA          bool   `json:"ha"`
	Strategy    string `json:"strategy,omitempty"`
	WaitTimeout int    `json:"wait_timeout_seconds,omitempty"`
}

// DeployEvent is one line of a deploy's progress. The stream ends with kind "done"
// (carrying the release) or "error".
type DeployEvent struct {
	Kind      string   `json:"kind"`
	Text      string   `json:"text,omitempty"`
	Layer     string   `json:"layer,omitempty"`
	Current   int64    `json:"current,omitempty"`
	Total     int64    `json:"total,omitempty"`
	MachineID string   `json:"machine_id,omitempty"`
	Addr      string   `json:"addr,omitempty"`
	Error     string   `json:"error,omitempty"`
	Release   *Release `json:"release,omitempty"`
}

// Deploy event kinds.
const (
	EventStep    = "step"
	EventInfo    = "info"
	EventWarn    = "warn"
	EventPull    = "pull"
	EventBuild   = "build"
	EventMachine = "machine"
	EventDone    = "done"
	EventError   = "error"
)

// RunMachineRequest is POST /v1/apps/{app}/machines: one machine outside a deploy.
type RunMachineRequest struct {
	Image       string            `json:"image"`
	Cmd         []string          `json:"cmd,omitempty"`
	Env         map[string]string `json:"env,omitempty"`
	MemoryMB    int               `json:"memory_mb,omitempty"`
	Tty         bool              `json:"tty"`
	Interactive bool              `json:"interactive"`
	AutoDestroy bool              `json:"auto_destroy"`
}

// StopMachineRequest is POST /v1/apps/{app}/machines/{id}/stop.
type StopMachineRequest struct {
	Signal  string `json:"signal,omitempty"`
	Timeout int    `json:"timeout_seconds,omitempty"`
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
