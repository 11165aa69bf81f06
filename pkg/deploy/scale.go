package deploy

import (
	"cmp"
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
	d *deployment
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
	return &Scaling{d: d}, err
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

// Plan is what it takes to give each group of counts its count of machines; a
// group named "" is the release's only group. region is the primary region when empty.
func (s *Scaling) Plan(counts map[string]int, region string) ([]ScaleStep, error) {
	existing, groups, err := s.Groups()
	if err != nil {
		return nil, err
	}
	counts, err = resolveGroups(counts, groups)
	if err != nil {
		return nil, err
	}
	region = cmp.Or(region, s.d.req.Region)
	return planScale(existing, counts, region, func(g string) string { return SizeName(s.Guest(g)) }), nil
}

// resolveGroups names the default group and refuses groups the release does not have.
func resolveGroups(counts map[string]int, groups []string) (map[string]int, error) {
	out := map[string]int{}
	for g, n := range counts {
		switch {
		case n < 0:
			return nil, fmt.Errorf("%w: %s=%d: a count is 0 or more", ErrBadCount, g, n)
		case g == "" && len(groups) != 1:
			return nil, fmt.Errorf("%w: the app has the process groups %v: pass --process-group or GROUP=N", ErrUnknownGroup, groups)
		case g == "":
			g = groups[0]
		case !slices.Contains(groups, g):
			return nil, fmt.Errorf("%w %q: the deployed fly.toml has %v", ErrUnknownGroup, g, groups)
		}
		out[g] = n
	}
	return out, nil
}

// planScale compares each group's machines in region with its count. Scaling
// down removes stopped machines first, then the newest.
func planScale(existing map[string][]state.Machine, counts map[string]int, region string, size func(string) string) []ScaleStep {
	var steps []ScaleStep
	for _, g := range slices.Sorted(func(yield func(string) bool) {
		for g := range counts {
			if !yield(g) {
				return
			}
		}
	}) {
		var have []state.Machine
		for _, m := range existing[g] {
			if m.Region == region {
				have = append(have, m)
			}
		}
		delta := counts[g] - len(have)
		if delta == 0 {
			continue
		}
		step := ScaleStep{Group: g, Region: region, Size: size(g), Delta: delta}
		if delta < 0 {
			slices.SortStableFunc(have, destroyFirst)
			step.Destroy = have[:-delta]
		}
		steps = append(steps, step)
	}
	return steps
}

// destroyFirst orders machines for a scale-down: asleep before awake, newer before older.
func destroyFirst(a, b state.Machine) int {
	awake := func(m state.Machine) bool { return m.State == state.MachineStarted || m.State == state.MachineStarting }
	if awake(a) != awake(b) {
		if awake(a) {
			return 1
		}
		return -1
	}
	return b.CreatedAt.Compare(a.CreatedAt)
}

// SizeName is flyctl's preset name of a guest, like shared-cpu-1x.
func SizeName(g toml.Guest) string {
	kind := "shared-cpu"
	if g.CPUKind == "performance" {
		kind = "performance"
	}
	return fmt.Sprintf("%s-%dx", kind, max(g.CPUs, 1))
}

// Apply carries out steps, calling done for each machine created or destroyed.
// A machine that fails to come up is destroyed and the error returned; what
// was done before stays.
func (s *Scaling) Apply(ctx context.Context, steps []ScaleStep, done func(m state.Machine, created bool)) error {
	s.d.volumes = volumesReuseOrCreate
	if s.WithNewVolumes {
		s.d.volumes = volumesAlwaysNew
	}
	for _, st := range steps {
		for _, m := range st.Destroy {
			if err := s.d.mgr.Destroy(ctx, m.App, m.ID, true); err != nil {
				return fmt.Errorf("destroying machine %s: %w", m.ID, err)
			}
			done(m, false)
		}
		for range st.Delta {
			m, err := s.launch(ctx, st.Group, st.Region)
			if err != nil {
				return err
			}
			done(m, true)
		}
	}
	return nil
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
