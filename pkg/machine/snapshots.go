package machine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hangarhq/hangar/pkg/snapshot"
	"github.com/hangarhq/hangar/pkg/state"
)

// ErrNeedsRoot: the engine keeps volumes in root's directories, so only an agent run as root copies them.
var ErrNeedsRoot = errors.New("volume snapshots need an agent running as root (the engine's volume directories are root's)")

// SnapshotVolume archives a volume into dir as a consistent copy: a running machine that
// mounts it is paused for the copy (held, so no wake interleaves) and resumed after.
func (m *Manager) SnapshotVolume(ctx context.Context, app, id, dir string, scheduled bool) (state.VolumeSnapshot, error) {
	if os.Geteuid() != 0 {
		return state.VolumeSnapshot{}, ErrNeedsRoot
	}
	v, err := m.store.Volume(app, id)
	if err != nil {
		return state.VolumeSnapshot{}, err
	}
	src, err := m.VolumeMountpoint(ctx, v)
	if err != nil {
		return state.VolumeSnapshot{}, err
	}
	resume, err := m.pauseFor(ctx, v)
	if err != nil {
		return state.VolumeSnapshot{}, err
	}
	snap := state.VolumeSnapshot{ID: state.NewSnapshotID(), Volume: v.ID, App: v.App, VolumeName: v.Name, SizeGB: v.SizeGB,
		Scheduled: scheduled, CreatedAt: m.now()}
	snap.Path = filepath.Join(dir, snap.ID+".tar.gz")
	snap.Size, snap.SHA256, err = snapshot.Write(src, snap.Path)
	if err = errors.Join(err, resume()); err != nil {
		os.Remove(snap.Path)
		return snap, fmt.Errorf("taking a snapshot of volume %s: %w", id, err)
	}
	if err := m.store.AddVolumeSnapshot(snap); err != nil {
		os.Remove(snap.Path)
		return snap, fmt.Errorf("recording the snapshot of volume %s: %w", id, err)
	}
	return snap, nil
}

// pauseFor pauses the running app container that mounts v, holding its machine until the
// returned resume is called; a stopped or suspended machine (or none) is left as it is.
func (m *Manager) pauseFor(ctx context.Context, v state.Volume) (resume func() error, err error) {
	if v.AttachedMachine == "" {
		return func() error { return nil }, nil
	}
	release, mc, err := m.holdMachine(ctx, v.App, v.AttachedMachine)
	if err != nil {
		return nil, err
	}
	if mc.State != state.MachineStarted {
		return func() error { release(); return nil }, nil
	}
	if err := m.engine.PauseContainer(ctx, mc.ContainerID); err != nil {
		release()
		return nil, fmt.Errorf("pausing machine %s for the copy: %w", mc.ID, err)
	}
	return func() error {
		defer release()
		return m.engine.UnpauseContainer(context.WithoutCancel(ctx), mc.ContainerID)
	}, nil
}

// RestoreVolume creates v and fills it from the snapshot, verified first; on failure the
// new volume goes again.
func (m *Manager) RestoreVolume(ctx context.Context, v state.Volume, snap state.VolumeSnapshot) (state.Volume, error) {
	if os.Geteuid() != 0 {
		return v, ErrNeedsRoot
	}
	if err := snapshot.Verify(snap.Path, snap.SHA256); err != nil {
		return v, fmt.Errorf("restoring snapshot %s: %w", snap.ID, err)
	}
	v.FromSnapshot = snap.ID
	v, err := m.CreateVolume(ctx, v)
	if err != nil {
		return v, err
	}
	dst, err := m.VolumeMountpoint(ctx, v)
	if err == nil {
		err = snapshot.Restore(snap.Path, snap.SHA256, dst)
	}
	if err != nil {
		_, derr := m.DestroyVolume(ctx, v.App, v.ID)
		return v, errors.Join(fmt.Errorf("restoring snapshot %s: %w", snap.ID, err), derr)
	}
	return v, nil
}
