package deploy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hangarhq/hangar/pkg/state"
)

// ScaleRequest is what `scale count` asks for.
type ScaleRequest struct {
	Counts map[string]Count // by group; "" is the release's only group
	// Regions are the regions to act on: by default those of the app's machines,
	// or the primary region when it has none. Machines elsewhere are left alone.
	Regions []string
	// MaxPerRegion caps a group's machines in each region; negative: no cap (flyctl's -1).
	MaxPerRegion int
}

// Count is a group's number of machines, or with Relative a change to its current number.
type Count struct {
	N        int
	Relative bool
}

// Plan is what it takes to give each group of req its count of machines,
// spread over the regions as flyctl spreads them.
func (s *Scaling) Plan(req ScaleRequest) ([]ScaleStep, error) {
	existing, groups, err := s.Groups()
	if err != nil {
		return nil, err
	}
	totals, err := resolveCounts(req.Counts, groups, existing)
	if err != nil {
		return nil, err
	}
	regions := req.Regions
	if len(regions) == 0 {
		regions = machineRegions(existing, s.primary)
	}
	return planScale(existing, totals, regions, req.MaxPerRegion, func(g string) string { return SizeName(s.Guest(g)) })
}

// resolveCounts names the default group, refuses groups the release does not
// have, and turns changes into totals over the group's machines in every region.
func resolveCounts(counts map[string]Count, groups []string, existing map[string][]state.Machine) (map[string]int, error) {
	out := map[string]int{}
	for g, c := range counts {
		switch {
		case g == "" && len(groups) != 1:
			return nil, fmt.Errorf("%w: the app has the process groups %v: pass --process-group or GROUP=N", ErrUnknownGroup, groups)
		case g == "":
			g = groups[0]
		case !slices.Contains(groups, g):
			return nil, fmt.Errorf("%w %q: the deployed fly.toml has %v", ErrUnknownGroup, g, groups)
		}
		n := c.N
		if c.Relative {
			n += len(existing[g])
		}
		switch {
		case c.Relative && n < 0:
			return nil, fmt.Errorf("%w: group %s has %d %s, so %+d would leave fewer than 0: scale it to 0 (%s=0) to destroy them all",
				ErrBadCount, g, len(existing[g]), plural(len(existing[g]), "machine"), c.N, g)
		case n < 0:
			return nil, fmt.Errorf("%w: %s=%d: a count is 0 or more", ErrBadCount, g, n)
		}
		out[g] = n
	}
	return out, nil
}

// machineRegions are the regions of the app's machines, the primary region first
// (flyctl acts on these when -r is not given), or the primary region alone.
func machineRegions(existing map[string][]state.Machine, primary string) []string {
	seen := map[string]bool{primary: true}
	for _, ms := range existing {
		for _, m := range ms {
			seen[m.Region] = true
		}
	}
	delete(seen, primary)
	return append([]string{primary}, slices.Sorted(maps.Keys(seen))...)
}

// planScale spreads each group's total over regions, groups by name and
// regions in the given order. Scaling down a region removes its stopped
// machines first, then the newest.
func planScale(existing map[string][]state.Machine, totals map[string]int, regions []string, maxPerRegion int, size func(string) string) ([]ScaleStep, error) {
	regions = uniq(regions)
	var steps []ScaleStep
	for _, g := range slices.Sorted(maps.Keys(totals)) {
		have := map[string][]state.Machine{}
		current := map[string]int{}
		for _, m := range existing[g] {
			have[m.Region] = append(have[m.Region], m)
			current[m.Region]++
		}
		diffs, err := convergeCounts(totals[g], current, regions, maxPerRegion)
		if err != nil {
			return nil, fmt.Errorf("%w: %d %s of group %s do not fit in %d %s at --max-per-region %d: raise it or name more regions with -r",
				err, totals[g], plural(totals[g], "machine"), g, len(regions), plural(len(regions), "region"), maxPerRegion)
		}
		for _, r := range regions {
			delta := diffs[r]
			if delta == 0 {
				continue
			}
			step := ScaleStep{Group: g, Region: r, Size: size(g), Delta: delta}
			if delta < 0 {
				slices.SortStableFunc(have[r], destroyFirst)
				step.Destroy = have[r][:-delta]
			}
			steps = append(steps, step)
		}
	}
	return steps, nil
}

// convergeCounts is flyctl's convergeGroupCounts: the change per region that
// brings the machines in regions to total, with at most maxPerRegion in each
// (negative: no cap). Machines are added to regions in turn from the first and
// removed in turn from the second; regions over the cap lose their excess.
func convergeCounts(total int, current map[string]int, regions []string, maxPerRegion int) (map[string]int, error) {
	if len(regions) == 0 {
		return nil, fmt.Errorf("no region to scale in: name one with -r")
	}
	diffs := map[string]int{}
	if maxPerRegion >= 0 {
		if len(regions)*maxPerRegion < total {
			return nil, ErrMaxPerRegion
		}
		for _, r := range regions {
			if c := current[r]; c > maxPerRegion {
				diffs[r] = maxPerRegion - c
			}
		}
	}
	diff := total
	for _, r := range regions {
		diff -= current[r] + diffs[r]
	}
	for i := 0; diff > 0; i++ {
		r := regions[i%len(regions)]
		if maxPerRegion < 0 || current[r]+diffs[r] < maxPerRegion {
			diffs[r]++
			diff--
		}
	}
	for i := 1; diff < 0; i++ {
		r := regions[i%len(regions)]
		if current[r]+diffs[r] > 0 {
			diffs[r]--
			diff++
		}
	}
	return diffs, nil
}

func uniq(regions []string) []string {
	var out []string
	for _, r := range regions {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
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
