package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/snapshot"
	"github.com/hangarhq/hangar/pkg/state"
)

// defaultVolumeRegion is where a volume goes without -r, as deploy's default region.
const defaultVolumeRegion = "iad"

func (s *Server) listVolumes(r *http.Request) (any, error) {
	vs, err := s.store.Volumes(r.PathValue("app"))
	if err != nil {
		return nil, err
	}
	if _, err := s.store.App(r.PathValue("app")); err != nil {
		return nil, err
	}
	out := make([]api.Volume, 0, len(vs))
	for _, v := range vs {
		out = append(out, toAPIVolume(v))
	}
	return out, nil
}

func (s *Server) getVolume(r *http.Request) (any, error) {
	v, err := s.store.Volume(r.PathValue("app"), r.PathValue("id"))
	return toAPIVolume(v), err
}

// createVolume makes an empty volume, or one restored from a snapshot of the app's.
func (s *Server) createVolume(r *http.Request) (any, error) {
	var req api.CreateVolumeRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	v, err := newVolume(r.PathValue("app"), req)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.App(v.App); err != nil {
		return nil, err
	}
	if req.SnapshotID == "" {
		v, err = mgr.CreateVolume(r.Context(), v)
	} else {
		v, err = s.restoreVolume(r.Context(), mgr, v, req.SnapshotID)
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("created volume", "app", v.App, "volume", v.ID, "name", v.Name, "snapshot", req.SnapshotID)
	return toAPIVolume(v), nil
}

func newVolume(app string, req api.CreateVolumeRequest) (state.Volume, error) {
	switch {
	case req.Name == "":
		return state.Volume{}, badRequest("a volume needs a name: hangar volumes create NAME")
	case req.SizeGB < 0 || req.SizeGB == 0 && req.SnapshotID == "":
		return state.Volume{}, badRequest(fmt.Sprintf("a volume's size must be at least 1 GB, got %d: pass -s 1 or more", req.SizeGB))
	case req.SnapshotRetention < 0 || req.SnapshotRetention > 60:
		return state.Volume{}, badRequest(fmt.Sprintf("snapshot retention must be 1-60 days, got %d", req.SnapshotRetention))
	}
	v := state.Volume{ID: req.ID, App: app, Name: req.Name, Region: req.Region, Zone: deploy.Zone, SizeGB: req.SizeGB,
		SnapshotRetention: req.SnapshotRetention, ScheduledSnapshots: true}
	if v.Region == "" {
		v.Region = defaultVolumeRegion
	}
	if v.SnapshotRetention == 0 {
		v.SnapshotRetention = 5
	}
	return v, nil
}

func (s *Server) restoreVolume(ctx context.Context, mgr *machine.Manager, v state.Volume, snapID string) (state.Volume, error) {
	snap, err := s.store.VolumeSnapshot(v.App, snapID)
	if err != nil {
		return v, err
	}
	v.SizeGB = max(v.SizeGB, snap.SizeGB)
	return mgr.RestoreVolume(ctx, v, snap)
}

// extendVolume records a larger size; the local driver has no size to grow.
func (s *Server) extendVolume(r *http.Request) (any, error) {
	var req api.ExtendVolumeRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	v, err := s.store.UpdateVolume(r.PathValue("app"), r.PathValue("id"), func(v *state.Volume) error {
		if req.SizeGB <= v.SizeGB {
			return badRequest(fmt.Sprintf("volume %s is %d GB: a volume can only grow, pass -s %d or more (or +N)", v.ID, v.SizeGB, v.SizeGB+1))
		}
		v.SizeGB = req.SizeGB
		return nil
	})
	return toAPIVolume(v), err
}

func (s *Server) destroyVolume(r *http.Request) (any, error) {
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	v, err := mgr.DestroyVolume(r.Context(), r.PathValue("app"), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	s.log.Info("destroyed volume", "app", v.App, "volume", v.ID)
	return toAPIVolume(v), nil
}

func (s *Server) listVolumeSnapshots(r *http.Request) (any, error) {
	if _, err := s.store.Volume(r.PathValue("app"), r.PathValue("id")); err != nil {
		return nil, err
	}
	snaps, err := s.store.VolumeSnapshots(r.PathValue("id"))
	out := make([]api.VolumeSnapshot, 0, len(snaps))
	for _, sn := range snaps {
		out = append(out, toAPISnapshot(sn))
	}
	return out, err
}

func (s *Server) createVolumeSnapshot(r *http.Request) (any, error) {
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	snap, err := s.takeSnapshot(r.Context(), mgr, r.PathValue("app"), r.PathValue("id"), false)
	return toAPISnapshot(snap), err
}

func (s *Server) takeSnapshot(ctx context.Context, mgr *machine.Manager, app, id string, scheduled bool) (state.VolumeSnapshot, error) {
	dir := filepath.Join(s.home, "snapshots")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return state.VolumeSnapshot{}, err
	}
	snap, err := mgr.SnapshotVolume(ctx, app, id, dir, scheduled)
	if err == nil {
		s.log.Info("took a volume snapshot", "app", app, "volume", id, "snapshot", snap.ID, "bytes", snap.Size)
	}
	return snap, err
}

// scheduleSnapshots takes each volume's daily snapshot and drops those past their
// retention, checking once an hour until ctx ends.
func (s *Server) scheduleSnapshots(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.snapshotPass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) snapshotPass(ctx context.Context) {
	vs, err := s.store.Volumes("")
	snaps, serr := s.store.VolumeSnapshots("")
	if err = errors.Join(err, serr); err != nil {
		s.log.Warn("reading volumes for scheduled snapshots", "error", err)
		return
	}
	take, expire := snapshot.Plan(s.now(), planVolumes(vs), planSnapshots(snaps), 5)
	for _, id := range take {
		v, _ := s.store.Volume("", id)
		if _, err := s.takeSnapshot(ctx, s.mgr, v.App, id, true); err != nil {
			s.log.Warn("taking a scheduled snapshot", "volume", id, "error", err)
		}
	}
	for _, id := range expire {
		if snap, err := s.store.VolumeSnapshot("", id); err == nil {
			os.Remove(snap.Path)
		}
		if err := s.store.DeleteVolumeSnapshot(id); err != nil {
			s.log.Warn("dropping an expired snapshot", "snapshot", id, "error", err)
		}
	}
}

func planVolumes(vs []state.Volume) []snapshot.Volume {
	var out []snapshot.Volume
	for _, v := range vs {
		out = append(out, snapshot.Volume{ID: v.ID, Scheduled: v.ScheduledSnapshots, RetentionDays: v.SnapshotRetention, CreatedAt: v.CreatedAt})
	}
	return out
}

func planSnapshots(snaps []state.VolumeSnapshot) []snapshot.Taken {
	var out []snapshot.Taken
	for _, sn := range snaps {
		out = append(out, snapshot.Taken{ID: sn.ID, Volume: sn.Volume, Scheduled: sn.Scheduled, CreatedAt: sn.CreatedAt})
	}
	return out
}

func toAPIVolume(v state.Volume) api.Volume {
	return api.Volume{ID: v.ID, Name: v.Name, App: v.App, State: v.State, SizeGB: v.SizeGB, Region: v.Region, Zone: v.Zone,
		AttachedMachineID: v.AttachedMachine, SnapshotRetention: v.SnapshotRetention, ScheduledSnapshots: v.ScheduledSnapshots,
		CreatedAt: v.CreatedAt}
}

func toAPISnapshot(sn state.VolumeSnapshot) api.VolumeSnapshot {
	return api.VolumeSnapshot{ID: sn.ID, Volume: sn.Volume, Size: sn.Size, Digest: "sha256:" + sn.SHA256, Status: "created", CreatedAt: sn.CreatedAt}
}
