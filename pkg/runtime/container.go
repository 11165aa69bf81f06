package runtime

import (
	"net/netip"
	"time"
)

// ContainerSpec describes a container to create. The engine never restarts
// it (Hangar owns restarts) and publishes PublishPort only on 127.0.0.1.
type ContainerSpec struct {
	Name       string
	Image      string
	Cmd        []string
	Entrypoint []string
	Env        map[string]string
	Labels     map[string]string
	WorkingDir string
	User       string
	Hostname   string

	Network string // the network to join
	// NetworkOf names a running container whose network namespace this one shares
	// (Docker's container: mode): its address, hostname, resolv.conf and published
	// ports. It excludes Network, IPv6Address, Hostname, DNS and PublishPort.
	NetworkOf   string
	IPv6Address netip.Addr   // a fixed address inside Network's subnet, optional
	DNS         []netip.Addr // name servers; the engine's default when empty
	// ResolvConf is a host file mounted read-only as the container's /etc/resolv.conf.
	ResolvConf string
	DNSSearch  []string

	StopSignal  string        // like "SIGINT"; the image's (usually SIGTERM) when empty
	StopTimeout time.Duration // grace period before SIGKILL; the engine's default when zero

	MemoryMB int     // memory limit, no swap; unlimited when zero
	CPUs     float64 // CPU limit, like 0.5; unlimited when zero

	// PublishPort is an internal TCP port published on 127.0.0.1 with an
	// ephemeral host port, read back with InspectContainer after start.
	PublishPort int

	Tty        bool // allocate a terminal
	OpenStdin  bool // keep stdin open for Attach
	StdinOnce  bool // close stdin when the first attached client leaves
	AutoRemove bool // remove the container when it exits
	// Init runs the engine's init (Docker's docker-init, tini) as PID 1: it forwards the
	// stop signal to the app, which then has its default dispositions (a PID 1 ignores
	// SIGINT and SIGTERM unless it handles them), and reaps zombies, as Fly's init does.
	Init bool
	// Mounts are named volumes to mount; each Target is absolute and not "/".
	Mounts []Mount
}

// State is a container's lifecycle state.
type State string

// Container states, as engines report them.
const (
	StateCreated    State = "created"
	StateRunning    State = "running"
	StatePaused     State = "paused"
	StateRestarting State = "restarting"
	StateRemoving   State = "removing"
	StateExited     State = "exited"
	StateDead       State = "dead"
)

// Container is a container as the engine reports it.
type Container struct {
	ID         string
	Name       string
	Image      string
	State      State
	ExitCode   int
	OOMKilled  bool
	Error      string // the engine's reason when the process could not start
	CreatedAt  time.Time
	StartedAt  time.Time // zero if never started
	FinishedAt time.Time // zero if never exited
	Labels     map[string]string
	Tty        bool

	Network     string     // the network the address below is on
	IPv6Address netip.Addr // the container's address on Network
	IPv4Address netip.Addr // its IPv4 address there, on a network that has one
	NetworkOf   string     // the container whose network this one shares, as created
	HostPort    int        // loopback port published for PublishPort; 0 before start
}

// LogOptions selects what Logs returns.
type LogOptions struct {
	Tail       int       // only the last Tail lines; all lines when zero
	Since      time.Time // only lines after Since, when set
	Follow     bool      // keep streaming until the container stops or ctx ends
	Timestamps bool      // prefix each line with its RFC 3339 time
}
