// Package deploy turns a fly.toml and an image into running machines: a new app's first machines, or a rolling replacement.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// Strategies, as fly deploy names them.
const (
	StrategyRolling   = "rolling"
	StrategyImmediate = "immediate"
)

const (
	defaultWaitTimeout = 5 * time.Minute
	defaultRegion      = "iad"
)

// Request is one deploy.
type Request struct {
	App        string
	Config     *toml.Config
	ConfigText string // stored with the release
	Image      string // --image, else [build] image
	// BuildDir is where to build from, with [build] dockerfile or ./Dockerfile, when there is no image.
	BuildDir string
	// HA gives each new process group with services a second machine. flyctl's
	// default is true; the caller sets it, as a bool has no "unset".
	HA          bool
	Strategy    string        // "rolling" (empty) or "immediate"
	WaitTimeout time.Duration // per machine; 5m when zero
	Region      string        // primary_region; iad when empty
	// Unrouted: this host does not route Flycast addresses (an agent without root), so
	// the last line names hangar proxy commands instead of <app>.flycast.
	Unrouted bool
}

// Event kinds.
const (
	KindStep    = "step"    // a stage, shown as "==> Pulling nginxdemos/hello"
	KindInfo    = "info"    // a line of progress
	KindPull    = "pull"    // per-layer pull progress
	KindBuild   = "build"   // a line of build output
	KindMachine = "machine" // a machine created, started or replaced
	KindWarn    = "warn"    // something the user should know
)

// Event is one line of a deploy's progress.
type Event struct {
	Kind      string
	Text      string
	Layer     string // pull: the layer
	Current   int64  // pull: bytes done
	Total     int64  // pull: bytes expected
	MachineID string // machine: its ID
	Addr      string // machine: the [6PN]:port it listens on
}

// deployment is one Run: what it has done so far, to undo it on failure.
type deployment struct {
	mgr     *machine.Manager
	engine  runtime.Engine
	store   *state.Store
	req     Request
	emit    func(Event)
	image   string
	release state.Release
	// volumes is how a new machine whose group mounts a volume gets one.
	volumes volumePolicy

	mu       sync.Mutex      // guards the two lists below; immediate replaces machines concurrently
	created  []state.Machine // machines this deploy created
	replaced []state.Machine // machines this deploy replaced, as they were before
}

// Run deploys req: it resolves the image (local, pulled or built), records a
// pending release, creates the machines of new process groups and replaces
// those of existing ones, and destroys machines of groups the config no
// longer has. On any failure it destroys the machines it created, rolls the
// ones it replaced back, marks the release failed with the reason, and
// returns that reason. emit, which may be nil, receives progress.
func Run(ctx context.Context, mgr *machine.Manager, engine runtime.Engine, store *state.Store, req Request, emit func(Event)) (state.Release, error) {
	if emit == nil {
		emit = func(Event) {}
	}
	if req.Strategy == "canary" || req.Strategy == "bluegreen" {
		emit(Event{Kind: KindWarn, Text: fmt.Sprintf("hangar has no %s strategy; using rolling", req.Strategy)})
	}
	req, err := withDefaults(req)
	if err != nil {
		return state.Release{}, err
	}
	d := &deployment{mgr: mgr, engine: engine, store: store, req: req, emit: emit}
	if err := d.resolveImage(ctx); err != nil {
		return state.Release{}, err
	}
	rel, err := store.CreateRelease(state.Release{App: req.App, Image: d.image, Strategy: req.Strategy, Config: req.ConfigText}, time.Now())
	if err != nil {
		return rel, fmt.Errorf("recording the release of %s: %w", req.App, err)
	}
	d.release = rel
	machine.CrashAt(machine.CrashDeployReleaseCreated)
	if err := d.runReleaseCommand(ctx); err != nil {
		return d.fail(ctx, err)
	}
	if err := d.rollout(ctx); err != nil {
		return d.fail(ctx, err)
	}
	machine.CrashAt(machine.CrashDeployBeforeFinish)
	return d.complete()
}

func withDefaults(req Request) (Request, error) {
	switch {
	case req.App == "":
		return req, errors.New("deploying: no app named")
	case req.Config == nil:
		return req, fmt.Errorf("deploying %s: no fly.toml given", req.App)
	}
	req.WaitTimeout = or(req.WaitTimeout, defaultWaitTimeout)
	req.Region = or(req.Region, or(req.Config.PrimaryRegion, defaultRegion))
	switch req.Strategy {
	case "", StrategyRolling, "canary", "bluegreen":
		req.Strategy = StrategyRolling
	case StrategyImmediate:
	default:
		return req, fmt.Errorf("deploying %s: %w %q: use rolling or immediate", req.App, ErrUnknownStrategy, req.Strategy)
	}
	return req, nil
}

func (d *deployment) step(format string, args ...any) {
	d.emit(Event{Kind: KindStep, Text: fmt.Sprintf(format, args...)})
}

func (d *deployment) info(format string, args ...any) {
	d.emit(Event{Kind: KindInfo, Text: fmt.Sprintf(format, args...)})
}

func (d *deployment) warn(format string, args ...any) {
	d.emit(Event{Kind: KindWarn, Text: fmt.Sprintf(format, args...)})
}

func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}
