package deploy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// ScaleStep is one line of a scale plan: Delta more machines of a group in a
// region (or fewer, when negative: then Destroy names them).
type ScaleStep struct {
	Group, Region, Size string
	Delta               int
	Destroy             []state.Machine
}

// Scaling changes how many machines the groups of an app's deployed release
// have. New machines are made as a deploy makes a new group's machines, from
// the release's fly.toml and image.
type Scaling struct {
	d       *deployment
	primary string // the release's primary region, before launch points d at a step's region
	// WithNewVolumes: new machines get new volumes rather than unattached ones (flyctl's flag).
	WithNewVolumes bool
}

// NewScaling reads the app's latest complete release; ErrNoRelease when there is none.
func NewScaling(mgr *machine.Manager, engine runtime.Engine, store *state.Store, app string) (*Scaling, error) {
	rels, err := store.Releases(app)
	if err != nil {
		return nil, fmt.Errorf("listing the releases of %s: %w", app, err)
	}
	i := slices.IndexFunc(rels, func(r state.Release) bool { return r.Status == state.ReleaseComplete })
	if i < 0 {
		return nil, ErrNoRelease
	}
	rel := rels[i]
	cfg, err := toml.Parse("fly.toml", []byte(rel.Config))
	if err != nil {
		return nil, fmt.Errorf("reading the fly.toml of release v%d: %w", rel.Version, err)
	}
	req, err := withDefaults(Request{App: app, Config: cfg, Image: rel.Image})
	d := &deployment{mgr: mgr, engine: engine, store: store, req: req, emit: func(Event) {}, image: rel.Image, release: rel}
	return &Scaling{d: d, primary: req.Region}, err
}

// Release is the release new machines are made from.
func (s *Scaling) Release() state.Release { return s.d.release }

// Groups are the release's process groups with their machines, sorted by name.
func (s *Scaling) Groups() (map[string][]state.Machine, []string, error) {
	existing, err := s.d.deployed()
	return existing, s.d.req.Config.ProcessNames(), err
}

// Guest is the size a group's new machines get.
func (s *Scaling) Guest(group string) toml.Guest { return s.d.req.Config.MachineGuest(group) }

// SizeName is flyctl's preset name of a guest, like shared-cpu-1x.
func SizeName(g toml.Guest) string {
	kind := "shared-cpu"
	if g.CPUKind == "performance" {
		kind = "performance"
	}
	return fmt.Sprintf("%s-%dx", kind, max(g.CPUs, 1))
}

// Apply carries out steps, emitting a KindMachine event for each machine
// created or destroyed and the deploy's info and warnings (a volume made for a
// new machine) as they happen. A machine that fails to come up is destroyed and
// the error returned; what was done before stays.
func (s *Scaling) Apply(ctx context.Context, steps []ScaleStep, emit func(Event)) error {
	s.d.volumes = volumesReuseOrCreate
	if s.WithNewVolumes {
		s.d.volumes = volumesAlwaysNew
	}
	s.d.emit = func(ev Event) { // scale reports its machines in its own words
		if ev.Kind != KindMachine {
			emit(ev)
		}
	}
	for _, st := range steps {
		for _, m := range st.Destroy {
			if err := s.d.mgr.Destroy(ctx, m.App, m.ID, true); err != nil {
				return fmt.Errorf("destroying machine %s: %w", m.ID, err)
			}
			emit(scaledEvent("Destroyed", m, SizeName(toml.Guest{CPUKind: m.Config.CPUKind, CPUs: m.Config.CPUs})))
		}
		for range st.Delta {
			m, err := s.launch(ctx, st.Group, st.Region)
			if err != nil {
				return err
			}
			emit(scaledEvent("Created", m, st.Size))
		}
	}
	return nil
}

// scaledEvent is flyctl's line for a machine scale made or destroyed.
func scaledEvent(verb string, m state.Machine, size string) Event {
	text := fmt.Sprintf("%s %s group:%s region:%s size:%s", verb, m.ID, m.Group, m.Region, size)
	if verb == "Created" && len(m.Config.Mounts) > 0 {
		text += " volume:" + m.Config.Mounts[0].Volume
	}
	return Event{Kind: KindMachine, MachineID: m.ID, Text: text}
}

// launch makes one machine as deploy does, and destroys it when it does not come up.
func (s *Scaling) launch(ctx context.Context, group, region string) (state.Machine, error) {
	s.d.req.Region = region
	before := len(s.d.created)
	err := s.d.launch(ctx, group)
	if len(s.d.created) == before {
		return state.Machine{}, err
	}
	m := s.d.created[len(s.d.created)-1]
	if err != nil {
		_ = s.d.mgr.Destroy(context.WithoutCancel(ctx), m.App, m.ID, true)
		return m, fmt.Errorf("creating a machine of group %s: %w", group, err)
	}
	return m, nil
}

// Memory gives every machine of the release's groups memoryMB of memory, one
// at a time, each replaced side by side as a rolling deploy replaces it.
func (s *Scaling) Memory(ctx context.Context, memoryMB int, done func(state.Machine)) error {
	existing, groups, err := s.Groups()
	if err != nil {
		return err
	}
	for _, g := range groups {
		for _, m := range existing[g] {
			spec, err := s.d.spec(m.Group, m.Region)
			if err != nil {
				return err
			}
			spec.Config.MemoryMB = memoryMB
			updated, err := s.d.mgr.Replace(ctx, m.App, m.ID, spec, s.waitTimeout())
			if err != nil {
				return fmt.Errorf("resizing machine %s: %w", m.ID, err)
			}
			done(updated)
		}
	}
	return nil
}

func (s *Scaling) waitTimeout() time.Duration { return s.d.req.WaitTimeout }
