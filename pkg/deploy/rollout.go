package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

// rollout launches machines for groups that have none, replaces the
// machines of groups that have some, then destroys machines of groups that
// are gone from the config.
func (d *deployment) rollout(ctx context.Context) error {
	existing, err := d.deployed()
	if err != nil {
		return err
	}
	groups := d.req.Config.ProcessNames()
	var update []state.Machine
	for _, g := range groups {
		if len(existing[g]) == 0 {
			if err := d.launchGroup(ctx, g); err != nil {
				return err
			}
		}
		update = append(update, existing[g]...)
	}
	if err := d.update(ctx, update); err != nil {
		return err
	}
	d.destroyRemoved(ctx, existing, groups)
	return nil
}

// deployed are the app's machines that deploys manage, by group: those a
// release created (Version > 0), not those of hangar machine run.
func (d *deployment) deployed() (map[string][]state.Machine, error) {
	ms, err := d.store.Machines(d.req.App)
	if err != nil {
		return nil, fmt.Errorf("listing the machines of %s: %w", d.req.App, err)
	}
	out := map[string][]state.Machine{}
	for _, m := range ms {
		if m.Version > 0 {
			out[m.Group] = append(out[m.Group], m)
		}
	}
	return out, nil
}

// spec is a machine of group in this release.
func (d *deployment) spec(group, region string) (machine.Spec, error) {
	cfg, err := machineConfig(d.req.Config, group)
	return machine.Spec{App: d.req.App, Group: group, Region: region, Image: d.image, Version: d.release.Version,
		Config: cfg, Checks: checks(d.req.Config, group)}, err
}

// launchGroup creates a group's first machines: one, and a second for high
// availability when the group has services and no mounts.
func (d *deployment) launchGroup(ctx context.Context, group string) error {
	n := 1
	if d.req.HA && len(services(d.req.Config, group)) > 0 && !hasMounts(d.req.Config, group) {
		n = 2
	}
	d.info("No machines in group %s, launching a new machine", group)
	if n == 2 {
		d.info("Creating a second machine for high availability and zero downtime deployments.")
	}
	d.info("Creating %d %s…", n, plural(n, "machine"))
	for range n {
		if err := d.launch(ctx, group); err != nil {
			return err
		}
	}
	d.info("Finished launching new machines")
	return nil
}

// launch creates, starts and waits for one machine.
func (d *deployment) launch(ctx context.Context, group string) error {
	spec, err := d.spec(group, d.req.Region)
	if err == nil {
		err = d.attachVolume(ctx, &spec)
	}
	if err != nil {
		return err
	}
	m, err := d.mgr.Create(ctx, spec)
	if err != nil {
		return err
	}
	d.track(&d.created, m)
	machine.CrashAt(machine.CrashDeployMachineRecorded)
	if _, err := d.mgr.Start(ctx, d.req.App, m.ID); err != nil {
		return err
	}
	machine.CrashAt(machine.CrashDeployStarted)
	if err := d.mgr.WaitReady(ctx, d.req.App, m.ID, d.req.WaitTimeout); err != nil {
		return err
	}
	d.emitStarted(m, group, spec.Config.InternalPort)
	return nil
}

func (d *deployment) emitStarted(m state.Machine, group string, port int) {
	ev := Event{Kind: KindMachine, MachineID: m.ID, Text: fmt.Sprintf("Machine %s (%s) started", m.ID, group)}
	if port != 0 {
		ev.Addr = fmt.Sprintf("[%s]:%d", m.PrivateIP, port)
		ev.Text += ", listening on " + ev.Addr
	}
	d.emit(ev)
}

// update replaces machines one at a time (rolling) or all at once (immediate).
func (d *deployment) update(ctx context.Context, ms []state.Machine) error {
	if len(ms) == 0 {
		return nil
	}
	d.info("Updating existing machines in '%s' with %s strategy", d.req.App, d.req.Strategy)
	if d.req.Strategy == StrategyImmediate {
		return d.replaceAll(ctx, ms)
	}
	for _, m := range ms {
		if err := d.replace(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// replaceAll replaces every machine concurrently and waits for all of them.
func (d *deployment) replaceAll(ctx context.Context, ms []state.Machine) error {
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Go(func() { errs[i] = d.replace(ctx, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (d *deployment) replace(ctx context.Context, m state.Machine) error {
	spec, err := d.spec(m.Group, m.Region)
	if err != nil {
		return err
	}
	if _, err := d.mgr.Replace(ctx, d.req.App, m.ID, spec, d.req.WaitTimeout); err != nil {
		d.emit(Event{Kind: KindMachine, MachineID: m.ID, Text: fmt.Sprintf("Machine %s [%s] update failed", m.ID, m.Group)})
		return err
	}
	d.track(&d.replaced, m)
	d.emit(Event{Kind: KindMachine, MachineID: m.ID, Text: fmt.Sprintf("Machine %s [%s] update finished: success", m.ID, m.Group)})
	return nil
}

// destroyRemoved destroys the machines of groups the config no longer has.
// The release stands if this fails: the user is told what is left.
func (d *deployment) destroyRemoved(ctx context.Context, existing map[string][]state.Machine, groups []string) {
	for g, ms := range existing {
		if slices.Contains(groups, g) {
			continue
		}
		d.info("Destroying %d %s of process group %s, which fly.toml no longer has", len(ms), plural(len(ms), "machine"), g)
		for _, m := range ms {
			if err := d.mgr.Destroy(ctx, d.req.App, m.ID, true); err != nil {
				d.warn("Machine %s [%s] could not be destroyed: %v", m.ID, g, err)
			}
		}
	}
}

func (d *deployment) track(list *[]state.Machine, m state.Machine) {
	d.mu.Lock()
	defer d.mu.Unlock()
	*list = append(*list, m)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
