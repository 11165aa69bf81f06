package machine

import (
	"context"
	"errors"
	"fmt"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// LabelVolume names the Hangar volume ID an engine volume holds.
const LabelVolume = "hangar.volume"

// VolumeName is the engine's volume behind a Hangar volume of one installation.
func VolumeName(installation, id string) string { return "hangar-" + installation + "-" + id }

// mounts are the app container's volumes; the sandbox never mounts one.
func (m *Manager) mounts(mc state.Machine) []runtime.Mount {
	var out []runtime.Mount
	for _, mt := range mc.Config.Mounts {
		out = append(out, runtime.Mount{Volume: VolumeName(m.store.InstallationID(), mt.Volume), Target: mt.Path})
	}
	return out
}

// keptMounts are the volumes a replacement mounts: the machine's own, always (a machine
// keeps its volume for life), each at the path the new config gives, if any.
func keptMounts(have, want []state.Mount) []state.Mount {
	var out []state.Mount
	for i, mt := range have {
		if i < len(want) && want[i].Path != "" {
			mt.Path = want[i].Path
		}
		out = append(out, mt)
	}
	return out
}

// CreateVolume records v (with a new ID when it has none), then creates its engine
// volume; if that fails the record goes too.
func (m *Manager) CreateVolume(ctx context.Context, v state.Volume) (state.Volume, error) {
	if v.ID == "" {
		v.ID = state.NewVolumeID()
	}
	v.EngineName = VolumeName(m.store.InstallationID(), v.ID)
	if v.CreatedAt.IsZero() {
		v.CreatedAt = m.now()
	}
	v, err := m.store.CreateVolume(v)
	if err != nil {
		return v, fmt.Errorf("creating volume %s: %w", v.Name, err)
	}
	labels := m.managedLabels()
	labels[LabelApp], labels[LabelVolume] = v.App, v.ID
	if _, err := m.engine.CreateVolume(ctx, runtime.VolumeSpec{Name: v.EngineName, Labels: labels}); err != nil {
		_, derr := m.store.DestroyVolume(v.App, v.ID)
		return v, errors.Join(fmt.Errorf("creating volume %s: %w", v.Name, err), derr)
	}
	return v, nil
}

// DestroyVolume removes an unattached volume's files, then its record.
func (m *Manager) DestroyVolume(ctx context.Context, app, id string) (state.Volume, error) {
	v, err := m.store.Volume(app, id)
	if err != nil {
		return v, err
	}
	if v.AttachedMachine != "" {
		return v, fmt.Errorf("volume %s is attached to machine %s: destroy the machine first (hangar machine destroy %s --force): %w",
			id, v.AttachedMachine, v.AttachedMachine, state.ErrVolumeAttached)
	}
	if err := m.engine.RemoveVolume(ctx, v.EngineName); err != nil && !errors.Is(err, runtime.ErrNotFound) {
		return v, fmt.Errorf("destroying volume %s: %w", id, err)
	}
	return m.store.DestroyVolume(app, id)
}

// VolumeMountpoint is the host directory that holds a volume's files.
func (m *Manager) VolumeMountpoint(ctx context.Context, v state.Volume) (string, error) {
	ev, err := m.engine.InspectVolume(ctx, v.EngineName)
	if err != nil {
		return "", fmt.Errorf("finding the files of volume %s: %w", v.ID, err)
	}
	return ev.Mountpoint, nil
}

// removeAppVolumes removes the engine volumes labelled with the app, once its machines are gone.
func (m *Manager) removeAppVolumes(ctx context.Context, app string) error {
	labels := m.managedLabels()
	labels[LabelApp] = app
	list, err := m.engine.ListVolumes(ctx, labels)
	if err != nil {
		return fmt.Errorf("listing its volumes: %w", err)
	}
	for _, v := range list {
		if err := m.engine.RemoveVolume(ctx, v.Name); err != nil && !errors.Is(err, runtime.ErrNotFound) {
			return fmt.Errorf("removing volume %s: %w", v.Labels[LabelVolume], err)
		}
	}
	return nil
}
