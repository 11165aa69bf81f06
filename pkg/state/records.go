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

// Machine states, as Fly's Machines API names them.
const (
	MachineCreated    = "created"
	MachineStarting   = "starting"
	MachineStarted    = "started"
	MachineStopping   = "stopping"
	MachineStopped    = "stopped"
	MachineSuspended  = "suspended"
	MachineFailed     = "failed"
	MachineDestroyed  = "destroyed" // its container was removed outside hangar
	MachineReplacing  = "replacing"
	DefaultGroup      = "app"
	ReleasePending    = "pending"
	ReleaseComplete   = "complete"
	ReleaseFailed     = "failed"
	ReleaseSuperseded = "superseded"
)

// Machine is one container of an app, with its 6PN address.
type Machine struct {
	ID          string     `json:"id"`
	App         string     `json:"app"`
	Name        string     `json:"name"`
	Group       string     `json:"group"`
	Region      string     `json:"region"`
	Version     int        `json:"version"`
	Image       string     `json:"image"`
	State       string     `json:"state"`
	PrivateIP   netip.Addr `json:"private_ip"`
	ContainerID string     `json:"container_id,omitempty"`
	// SandboxID is the container that holds the machine's network (its 6PN address,
	// hostname, resolv.conf and published port) while the app's own container sleeps;
	// Cold says it is stopped too. A machine made before sandboxes has none: its
	// container holds its network itself.
	SandboxID string        `json:"sandbox_id,omitempty"`
	Cold      bool          `json:"cold,omitempty"`
	Config    MachineConfig `json:"config"`
	// Pending is a replacement container being brought up by a deploy; after a crash
	// the agent removes it and keeps the machine as it was.
	Pending *Replacement `json:"pending,omitempty"`
	// Secrets are the digests, by name, of the app's secrets its container was made
	// with, written with its container's ID: what `secrets list` compares. nil (no key)
	// in a record made before they were kept, empty for a container made with none.
	Secrets   map[string]string `json:"secrets"`
	ExitCode  int               `json:"exit_code,omitempty"`
	LastError string            `json:"last_error,omitempty"`
	LastWake  time.Time         `json:"last_wake,omitzero"`
	StoppedAt time.Time         `json:"stopped_at,omitzero"` // when it last went to sleep
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Replacement is a container that will take a machine over once it is ready.
type Replacement struct {
	ContainerID string            `json:"container_id,omitempty"`
	SandboxID   string            `json:"sandbox_id,omitempty"`
	PrivateIP   netip.Addr        `json:"private_ip"`
	Version     int               `json:"version"`
	Image       string            `json:"image"`
	Config      MachineConfig     `json:"config"`
	Secrets     map[string]string `json:"secrets"` // as Machine.Secrets
}

// MachineConfig is what a machine runs with: enough to recreate its container.
type MachineConfig struct {
	Env          map[string]string `json:"env,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	InternalPort int               `json:"internal_port,omitempty"`
	StopSignal   string            `json:"stop_signal,omitempty"`
	StopTimeout  time.Duration     `json:"stop_timeout,omitempty"`
	MemoryMB     int               `json:"memory_mb,omitempty"`
	CPUs         int               `json:"cpus,omitempty"`
	CPUKind      string            `json:"cpu_kind,omitempty"`
	Tty          bool              `json:"tty,omitempty"`
	AutoDestroy  bool              `json:"auto_destroy,omitempty"`
	// ColdAfter and WarmLimit are the app's [hangar] cold_after and warm_limit (how long,
	// and for how many of its stopped machines, a sandbox is kept); the agent's when unset.
	ColdAfter time.Duration `json:"cold_after,omitempty"`
	WarmLimit *int          `json:"warm_limit,omitempty"`
	// Mounts are the machine's volume (Fly allows one), attached in the machine's transactions.
	Mounts []Mount `json:"mounts,omitempty"`
}

// Release is one deploy of an app: its version, image and fly.toml.
type Release struct {
	App       string    `json:"app"`
	Version   int       `json:"version"`
	Image     string    `json:"image"`
	Status    string    `json:"status"`
	Strategy  string    `json:"strategy"`
	Config    string    `json:"config"` // the fly.toml text deployed
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}
