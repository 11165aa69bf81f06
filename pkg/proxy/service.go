package proxy

import (
	"context"
	"net/netip"
	"time"
)

// Catalog answers which service a connection is for. The daemon implements it
// from the apps' fly.toml services and their Flycast addresses.
type Catalog interface {
	// ByAddr returns the service listening at a Flycast address and port
	// (routing by the connection's local address).
	ByAddr(local netip.AddrPort) (Service, bool)
	// ByHost returns the service for "Host: <app>.flycast[:port]" on a
	// loopback listener; host is lower-case without the port, port is 80 when
	// the header has none.
	ByHost(host string, port uint16) (Service, bool)
}

// Service is one port of an app as fly.toml describes it.
type Service struct {
	App          string
	Org          netip.Prefix // the app's organization /48; zero: any caller is served
	Port         uint16       // the Flycast port (80, 443, or a [[services.ports]] port)
	InternalPort uint16
	HTTP         bool // handlers include "http"; false: raw TCP
	ForceHTTPS   bool
	AutoStop     string // AutoStopOff, AutoStopStop or AutoStopSuspend
	AutoStart    bool
	MinRunning   int
	Concurrency  Concurrency
	IdleTimeout  time.Duration // zero: DefaultIdleTimeout
}

// Values of Service.AutoStop; anything else counts as AutoStopOff.
const (
	AutoStopOff     = "off"
	AutoStopStop    = "stop"
	AutoStopSuspend = "suspend"
)

// DefaultIdleTimeout is how long a machine may sit without requests or
// connections before it is stopped, when the service sets no IdleTimeout.
const DefaultIdleTimeout = 60 * time.Second

// Concurrency is a service's [services.concurrency]. The proxy counts one
// unit of load per in-flight HTTP request (a WebSocket stays in flight while
// it is open) and per open TCP connection. Each in-flight HTTP request holds
// exactly one upstream connection, so "requests" and "connections" count the
// same here.
type Concurrency struct {
	Type      string // "connections" or "requests"
	SoftLimit int    // 0: none
	HardLimit int    // 0: none
}

// MachineState is a machine's state as the daemon reports it.
type MachineState string

// Machine states.
const (
	StateStarted  MachineState = "started"
	StateStarting MachineState = "starting"
	StateStopping MachineState = "stopping"
	StateStopped  MachineState = "stopped"
	// StateCold is stopped with its network (sandbox) stopped too: its wake costs the
	// network's set-up as well, so a machine merely stopped is woken first.
	StateCold      MachineState = "cold"
	StateSuspended MachineState = "suspended"
	StateFailed    MachineState = "failed"
)

// Machine is one of an app's machines.
type Machine struct {
	ID    string
	State MachineState
	Addr  netip.Addr // its 6PN address on the bridge network
}

// Machines is the daemon's machine manager. The proxy never holds a lock of
// its own while calling it, so its methods may call back into the Proxy.
type Machines interface {
	// List returns the app's machines. It is called on every wake, on every
	// dial attempt while waking, and at most once a second on the warm path.
	// An error (the daemon's state could not be read) keeps the proxy's last
	// view and is what a request that finds no machine is answered with.
	List(app string) ([]Machine, error)
	// Start returns when the engine's start (or unpause of a suspended
	// machine) returned; readiness is the proxy's own dial loop. Starting a
	// started machine is not an error.
	Start(ctx context.Context, app, id string) error
	// Stop stops the machine, or pauses it when suspend is set.
	Stop(ctx context.Context, app, id string, suspend bool) error
	// Failure explains why a machine could not become ready since its last
	// Start, as a phrase that follows "machine <id> " — "exited with code 1:
	// panic: boom", "has no image hangar/demo:latest" — or "" if nothing went
	// wrong (or nothing is known).
	Failure(app, id string) string
}
