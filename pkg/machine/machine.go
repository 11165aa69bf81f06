// Package machine runs an app's machines as containers and keeps their records true to what the engine reports.
package machine

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// Labels Hangar puts on its containers and networks. Only objects labelled
// managed=true are ever removed by Reconcile.
const (
	LabelManaged = "hangar.managed"
	LabelApp     = "hangar.app"
	LabelMachine = "hangar.machine"
	LabelGroup   = "hangar.group"
	LabelRelease = "hangar.release"
	LabelOrg     = "hangar.org"
	// LabelInstallation scopes everything to one state database, so agents of two
	// HANGAR_HOMEs on one engine never adopt or remove each other's containers.
	LabelInstallation = "hangar.installation"
)

// Fly's defaults for kill_signal and kill_timeout.
const (
	DefaultStopSignal  = "SIGINT"
	DefaultStopTimeout = 5 * time.Second
)

// managedLabels select this installation's containers.
func (m *Manager) managedLabels() map[string]string {
	return map[string]string{LabelManaged: "true", LabelInstallation: m.store.InstallationID()}
}

// Spec is what a machine is created (or replaced) from.
type Spec struct {
	App, Group, Region, Image string
	Version                   int // the release that created it
	Config                    state.MachineConfig
	Tty, OpenStdin            bool
	// Checks are HTTP checks WaitReady runs once the port accepts. They are
	// kept in memory only: after an agent restart WaitReady just dials.
	Checks []HTTPCheck
}

// HTTPCheck is one HTTP health check from fly.toml, run against the machine's 6PN address.
type HTTPCheck struct {
	Path    string            // "/" when empty
	Method  string            // GET when empty
	Headers map[string]string // a Host header sets the request's host
	Timeout time.Duration     // per attempt; defaultCheckTimeout when zero
}

// DialFunc connects to an address on the organization network.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Manager creates, starts, stops, replaces and destroys machines, one
// operation per machine at a time, and follows the engine's events.
type Manager struct {
	resolvConf string               // host file mounted as the machines' /etc/resolv.conf; none when empty
	beforeStop func(app, id string) // nil: nobody to warn
	secrets    SecretsFunc          // nil: machines get no secrets
	engine     runtime.Engine
	store      *state.Store
	log        *slog.Logger
	now        func() time.Time
	started    time.Time // work recorded before this is from an earlier agent
	dial       DialFunc  // readiness probes and HTTP checks
	poll       time.Duration
	backoff    [2]time.Duration // first and longest wait before resubscribing to events
	leases     leases
	recovered  chan struct{} // closed once Run's first reconcile has run
	recoverOne sync.Once
	sleep      SleepPolicy   // defaults of the cold tier
	stopped    chan struct{} // a machine went to sleep: the cooler looks again

	mu         sync.Mutex             // guards checks and sandboxRef
	checks     map[string][]HTTPCheck // by machine ID
	sandboxRef string                 // the sandbox image, once built or found
}

// Option tunes a Manager; the defaults are what the agent uses.
type Option func(*Manager)

// WithBeforeStop calls fn before a serving container of the machine is stopped or removed
// (a stop, a forced destroy, the old container of a replacement), so the proxy can send
// its WebSockets a close frame first. fn runs while the machine is not held, so however
// long it takes, other operations on the machine (the proxy's wake) go on.
func WithBeforeStop(fn func(app, id string)) Option { return func(m *Manager) { m.beforeStop = fn } }

// WithResolvConf gives every machine this host file as its /etc/resolv.conf (read-only),
// so machines ask the private DNS server at fdaa::3 directly, as on Fly.io.
func WithResolvConf(path string) Option { return func(m *Manager) { m.resolvConf = path } }

// WithDial replaces the dialer used for readiness probes and HTTP checks
// (tests fake the organization network with it).
func WithDial(dial DialFunc) Option { return func(m *Manager) { m.dial = dial } }

// WithPollInterval sets how often WaitReady looks at a machine (50 ms by default).
func WithPollInterval(d time.Duration) Option { return func(m *Manager) { m.poll = d } }

// WithBackoff sets the first and the longest pause before Run resubscribes to events.
func WithBackoff(first, longest time.Duration) Option {
	return func(m *Manager) { m.backoff = [2]time.Duration{first, longest} }
}

// NewManager returns a Manager for the machines recorded in store.
func NewManager(engine runtime.Engine, store *state.Store, log *slog.Logger, now func() time.Time, opts ...Option) *Manager {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{engine: engine, store: store, log: log, now: now, started: now(),
		dial: (&net.Dialer{}).DialContext, poll: 50 * time.Millisecond,
		backoff: [2]time.Duration{200 * time.Millisecond, 10 * time.Second},
		leases:  leases{held: map[string]*lease{}}, checks: map[string][]HTTPCheck{}, recovered: make(chan struct{}),
		sleep: SleepPolicy{ColdAfter: DefaultColdAfter, WarmLimit: DefaultWarmLimit}, stopped: make(chan struct{}, 1)}
	for _, o := range opts {
		o(m)
	}
	return m
}

func (m *Manager) setChecks(id string, checks []HTTPCheck) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(checks) == 0 {
		delete(m.checks, id)
		return
	}
	m.checks[id] = checks
}

func (m *Manager) checksOf(id string) []HTTPCheck {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.checks[id]
}

// goingAway warns whoever asked (the proxy) that the machine's container is about to go.
func (m *Manager) goingAway(app, id string) {
	if m.beforeStop != nil {
		m.beforeStop(app, id)
	}
}
