package deploy

import (
	"context"
	"fmt"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// defaultSnapshotRetention is flyctl's snapshot_retention, in days.
const defaultSnapshotRetention = 5

// groupMount is the group's [[mounts]] entry; validation allows one per group.
func groupMount(cfg *toml.Config, group string) (toml.Mount, bool) {
	for _, m := range cfg.Mounts {
		if cfg.InGroup(m.Processes, group) {
			return m, true
		}
	}
	return toml.Mount{}, false
}

// volumePolicy is how a new machine gets its volume: deploy reuses an unattached one
// and makes one only when the app has none of the name yet (a first deploy); scale
// makes one when none is free, or always with --with-new-volumes, as flyctl does.
type volumePolicy int

const (
	volumesAsDeploy volumePolicy = iota
	volumesReuseOrCreate
	volumesAlwaysNew
)

// attachVolume gives a new machine whose group mounts a volume one of its own, as Fly
// does: an unattached volume of the source name in its region; when the app has no
// volume of that name yet (a first deploy), a new one; else ErrNoFreeVolume. The
// machine's record takes it in the transaction that creates the machine.
func (d *deployment) attachVolume(ctx context.Context, spec *machine.Spec) error {
	mt, ok := groupMount(d.req.Config, spec.Group)
	if !ok || len(spec.Config.Mounts) == 0 {
		return nil
	}
	if d.volumes == volumesAlwaysNew {
		v, err := d.createVolume(ctx, mt, spec)
		spec.Config.Mounts[0].Volume = v.ID
		return err
	}
	vols, err := d.store.Volumes(d.req.App)
	if err != nil {
		return fmt.Errorf("listing the volumes of %s: %w", d.req.App, err)
	}
	named := 0
	for _, v := range vols {
		if v.Name != mt.Source {
			continue
		}
		named++
		if v.Region == spec.Region && v.AttachedMachine == "" {
			spec.Config.Mounts[0].Volume = v.ID
			return nil
		}
	}
	if named > 0 && d.volumes == volumesAsDeploy {
		return fmt.Errorf("New machine in group '%s' needs an unattached volume named '%s' in region '%s': create one with hangar volumes create %s -r %s: %w",
			spec.Group, mt.Source, spec.Region, mt.Source, spec.Region, ErrNoFreeVolume)
	}
	v, err := d.createVolume(ctx, mt, spec)
	spec.Config.Mounts[0].Volume = v.ID
	return err
}

// createVolume makes the volume a first deploy needs, sized by initial_size (1 GB).
func (d *deployment) createVolume(ctx context.Context, mt toml.Mount, spec *machine.Spec) (state.Volume, error) {
	size, err := mt.SizeGB()
	if err != nil {
		return state.Volume{}, fmt.Errorf("reading mounts.initial_size: %w", err)
	}
	d.info("Creating a %d GB volume named '%s' for process group '%s'. Use 'hangar vol extend' to increase its size", size, mt.Source, spec.Group)
	v := state.Volume{App: d.req.App, Name: mt.Source, Region: spec.Region, Zone: Zone, SizeGB: size,
		SnapshotRetention: defaultSnapshotRetention, ScheduledSnapshots: true}
	if mt.SnapshotRetention != nil {
		v.SnapshotRetention = *mt.SnapshotRetention
	}
	if mt.ScheduledSnapshots != nil {
		v.ScheduledSnapshots = *mt.ScheduledSnapshots
	}
	return d.mgr.CreateVolume(ctx, v)
}

// Zone is the one zone of a Hangar host, shown where Fly shows a volume's hardware zone.
const Zone = "local"
