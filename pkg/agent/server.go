// Package agent is the Hangar daemon: it owns the state database and serves the JSON API on a 0600 unix socket.
package agent

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/handoff"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// Server answers the API from the state it owns.
type Server struct {
	store   *state.Store
	log     *slog.Logger
	version string
	home    string
	started time.Time
	now     func() time.Time
	// stop ends Serve; set by Serve, called by the stop route.
	stop func()
	// life is Serve's context: deploys run on it, not on their request's, so a CLI
	// that goes away does not abandon a deploy half-way.
	life context.Context

	engine  runtime.Engine // nil: no container engine configured
	mgr     *machine.Manager
	flycast *FlycastConfig
	plane   *flycast.Plane // nil without Flycast; set before the API serves
	// flycastErr is why the plane did not start, for hangar doctor.
	flycastErr string

	// handoff passes the sockets to a successor on restart; nil when it cannot.
	handoff     *handoff.Handoff
	handingOver atomic.Bool  // a successor took the sockets: leave the host as it is
	api         net.Listener // the API socket, set by Serve

	// deploying guards against two deploys of one app at once.
	deployMu  sync.Mutex
	deploying map[string]bool

	keys secretKeys // seals secrets; made at the first secret
}

// Config is what a Server needs.
type Config struct {
	Store   *state.Store
	Log     *slog.Logger
	Version string
	Home    string
	Now     func() time.Time // nil: time.Now
	Engine  runtime.Engine   // nil: machine commands answer that no engine is configured
	// Flycast, when set, serves Flycast addresses and private DNS (needs root).
	Flycast *FlycastConfig
	// MachineOptions tune the machine manager.
	MachineOptions []machine.Option
	// Handoff holds what a predecessor agent handed over, and hands over on restart.
	Handoff *handoff.Handoff
}

// FlycastConfig is the wake proxy's timing.
type FlycastConfig struct {
	Idle        time.Duration // zero: 60 s
	WakeTimeout time.Duration // zero: 60 s
	// Loopback, when set, serves apps on this loopback address by Host header instead of
	// routing Flycast addresses (the fallback without root).
	Loopback netip.AddrPort
	// HostsFile is where app names go for the host's resolver (default /etc/hosts).
	HostsFile string
	// Drain is how long WebSockets and TCP connections may go on when the agent stops
	// or hands over to a new one (zero: 10 s).
	Drain time.Duration
}

// NewServer builds a Server; Serve runs it.
func NewServer(c Config) *Server {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = stderrLog()
	}
	s := &Server{store: c.Store, log: c.Log, version: c.Version, home: c.Home, started: c.Now(), now: c.Now,
		stop: func() {}, life: context.Background(), engine: c.Engine, deploying: map[string]bool{}, flycast: c.Flycast, handoff: c.Handoff}
	if c.Engine != nil {
		opts := append(slices.Clone(c.MachineOptions), machine.WithBeforeStop(s.goingAway), machine.WithSecrets(s.secretEnv))
		s.mgr = machine.NewManager(c.Engine, c.Store, c.Log, c.Now, opts...)
	}
	return s
}

// errNoEngine answers machine requests of an agent started without a container engine.
var errNoEngine = errors.New("this hangar agent has no container engine: is Docker installed and running?")

func (s *Server) machines() (*machine.Manager, error) {
	if s.mgr == nil {
		return nil, errNoEngine
	}
	return s.mgr, nil
}

// Handler is the API as an http.Handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		h := http.Handler(r.stream)
		if r.stream == nil {
			h = s.handle(r.fn)
		}
		mux.Handle(r.pattern, limitBody(r.pattern, s.awaitRecovery(r.pattern, h)))
	}
	mux.Handle("/", s.handle(noRoute))
	return mux
}

// machinesChanged lets the Flycast proxy see a change the API just made before the
// answer goes out, so the next request does not dial a stopped or paused machine.
func (s *Server) machinesChanged() {
	if s.plane != nil {
		s.plane.Sync()
	}
}

// goingAway lets WebSocket clients of a machine hear a close frame before it stops.
func (s *Server) goingAway(app, id string) {
	if s.plane != nil {
		s.plane.GoingAway(app, id)
	}
}
