package machine

import (
	"context"
	"slices"
	"time"

	"github.com/hangarhq/hangar/pkg/state"
)

// A stopped machine keeps its sandbox (the stop tier: a wake starts only its process)
// until it has slept ColdAfter, or until more stopped machines keep one than a limit
// allows; then its sandbox is stopped too (the cold tier: no process, no address, and
// a wake sets the network up again). Both come from the app's [hangar] cold_after and
// warm_limit, or else from the agent's policy.
const (
	// DefaultColdAfter: an internal tool unused for half an hour is likely unused for
	// the day, and keeping its sandbox costs memory (see bench/wake.sh).
	DefaultColdAfter = 30 * time.Minute
	// DefaultWarmLimit bounds that memory on a small host. bench/wake.sh counts 3.2 MB
	// per sandbox in its cgroup and containerd-shim, but the host gets 13–16 MB back
	// when one goes cold (network namespace, veth, the engine's books): 32 stopped
	// machines keep at most about 500 MB warm.
	DefaultWarmLimit = 32
	// coolEvery is the longest the cooler sleeps between looks: a stop nudges it at
	// once, so it mostly matters for the time limit.
	coolEvery = 15 * time.Second
)

// SleepPolicy is the agent's default for how long and how many stopped machines keep
// their sandboxes. WarmLimit < 0 sets no limit.
type SleepPolicy struct {
	ColdAfter time.Duration
	WarmLimit int
}

// WithSleepPolicy sets the agent's defaults for the cold tier.
func WithSleepPolicy(p SleepPolicy) Option { return func(m *Manager) { m.sleep = p } }

// cool runs the cooler until ctx ends: each pass cools what is due, then it waits for
// the next machine to come due, a stop, or coolEvery.
func (m *Manager) cool(ctx context.Context) {
	select { // what an earlier agent left is settled first
	case <-ctx.Done():
		return
	case <-m.recovered:
	}
	for {
		wait := min(m.coolPass(ctx), coolEvery)
		select {
		case <-ctx.Done():
			return
		case <-m.stopped:
		case <-time.After(max(wait, 10*time.Millisecond)):
		}
	}
}

// nudgeCooler tells the cooler a machine went to sleep.
func (m *Manager) nudgeCooler() {
	select {
	case m.stopped <- struct{}{}:
	default:
	}
}

// coolPass cools the machines that are due, longest asleep first, and returns how long
// until the next one is.
func (m *Manager) coolPass(ctx context.Context) time.Duration {
	ms, err := m.store.Machines("")
	if err != nil {
		m.log.Warn("reading machines to cool", "error", err)
		return coolEvery
	}
	warm := slices.DeleteFunc(ms, func(mc state.Machine) bool { return mc.Tier() != state.TierStop || mc.SandboxID == "" })
	slices.SortFunc(warm, func(a, b state.Machine) int { return asleepSince(a).Compare(asleepSince(b)) })
	perApp := map[string]int{}
	for _, mc := range warm {
		perApp[mc.App]++
	}
	total, now, next := len(warm), m.now(), coolEvery
	for _, mc := range warm {
		due := asleepSince(mc).Add(or(mc.Config.ColdAfter, or(m.sleep.ColdAfter, DefaultColdAfter)))
		over := mc.Config.WarmLimit != nil && perApp[mc.App] > *mc.Config.WarmLimit || m.sleep.WarmLimit >= 0 && total > m.sleep.WarmLimit
		if !over && now.Before(due) {
			next = min(next, due.Sub(now))
			continue
		}
		if _, err := m.Cool(ctx, mc.App, mc.ID); err != nil && ctx.Err() == nil {
			m.log.Warn("stopping the sandbox of a sleeping machine", "machine", mc.ID, "error", err)
			continue
		}
		perApp[mc.App]--
		total--
	}
	return next
}

// asleepSince is when the machine went to sleep; a machine created and never started
// sleeps since it was last changed.
func asleepSince(mc state.Machine) time.Time {
	if mc.StoppedAt.IsZero() {
		return mc.UpdatedAt
	}
	return mc.StoppedAt
}
