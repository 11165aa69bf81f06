package machine_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

// sleepers makes n stopped machines of web, asleep since t0, t0+1m, t0+2m…
func (f *fixture) sleepers(n int, cfg func(*state.MachineConfig)) []state.Machine {
	var out []state.Machine
	for i := range n {
		s := spec("hello:v1", 1)
		if cfg != nil {
			cfg(&s.Config)
		}
		m := f.started(s)
		f.mgr.Stop(bg, "web", m.ID, "", 0)
		m, _ = f.store.UpdateMachine(m.ID, t0, func(r *state.Machine) error {
			r.StoppedAt = t0.Add(time.Duration(i) * time.Minute)
			return nil
		})
		out = append(out, m)
	}
	return out
}

func (f *fixture) tiers(ms []state.Machine) []string {
	var out []string
	for _, m := range ms {
		out = append(out, f.machine(m.ID).Tier())
	}
	return out
}

func TestTheCoolerStopsSandboxesAfterColdAfter(t *testing.T) {
	f := newFixture(t)
	ms := f.sleepers(3, nil)
	policy := machine.WithSleepPolicy(machine.SleepPolicy{ColdAfter: 90 * time.Second, WarmLimit: -1})
	f.manager(t0.Add(2*time.Minute), policy).CoolPass(bg)
	if got, want := f.tiers(ms), []string{"cold", "stop", "stop"}; !slices.Equal(got, want) {
		t.Errorf("tiers after 2 min = %v, want %v", got, want)
	}
	f.manager(t0.Add(time.Hour)).CoolPass(bg) // the agent's default, 30 min
	if got, want := f.tiers(ms), []string{"cold", "cold", "cold"}; !slices.Equal(got, want) {
		t.Errorf("tiers after an hour = %v, want %v", got, want)
	}
}

func TestTheCoolerKeepsTheNewestSleepersUnderTheLimits(t *testing.T) {
	f := newFixture(t)
	ms := f.sleepers(3, nil)
	f.manager(t0, machine.WithSleepPolicy(machine.SleepPolicy{WarmLimit: 1})).CoolPass(bg)
	if got, want := f.tiers(ms), []string{"cold", "cold", "stop"}; !slices.Equal(got, want) {
		t.Errorf("tiers under an agent limit of 1 = %v, want %v", got, want)
	}

	g := newFixture(t)
	zero := 0
	ms = g.sleepers(2, func(c *state.MachineConfig) { c.WarmLimit = &zero })
	g.mgr.CoolPass(bg)
	if got, want := g.tiers(ms), []string{"cold", "cold"}; !slices.Equal(got, want) {
		t.Errorf("tiers under an app's warm_limit = 0: %v, want %v", got, want)
	}
}

func TestTheCoolerLeavesRunningAndSuspendedMachines(t *testing.T) {
	f := newFixture(t)
	running := f.started(spec("hello:v1", 1))
	suspended := f.started(spec("hello:v1", 1))
	f.mgr.Suspend(bg, "web", suspended.ID)
	f.manager(t0.Add(24*time.Hour), machine.WithSleepPolicy(machine.SleepPolicy{WarmLimit: 0})).CoolPass(bg)
	if got, want := f.tiers([]state.Machine{running, suspended}), []string{"", "suspend"}; !slices.Equal(got, want) {
		t.Errorf("tiers = %v, want %v", got, want)
	}
}
