package docker

import (
	"context"
	"fmt"
	"maps"

	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// CreateVolume creates a named volume on the local driver (which has no size limit).
func (e *Engine) CreateVolume(ctx context.Context, spec runtime.VolumeSpec) (runtime.Volume, error) {
	if spec.Name == "" {
		return runtime.Volume{}, invalid("a volume needs a name")
	}
	if _, err := e.cli.VolumeInspect(ctx, spec.Name); err == nil {
		return runtime.Volume{}, &engineError{kind: runtime.ErrConflict, msg: fmt.Sprintf("volume %s already exists", spec.Name)}
	}
	v, err := e.cli.VolumeCreate(ctx, volume.CreateOptions{Name: spec.Name, Driver: "local", Labels: maps.Clone(spec.Labels)})
	if err != nil {
		return runtime.Volume{}, fmt.Errorf("creating volume %s: %w", spec.Name, e.err(err))
	}
	return fromVolume(v), nil
}

// InspectVolume returns the volume with its Mountpoint on the host.
func (e *Engine) InspectVolume(ctx context.Context, name string) (runtime.Volume, error) {
	v, err := e.cli.VolumeInspect(ctx, name)
	if err != nil {
		return runtime.Volume{}, e.err(err)
	}
	return fromVolume(v), nil
}

// RemoveVolume deletes a volume; Docker refuses one a container uses (ErrConflict).
func (e *Engine) RemoveVolume(ctx context.Context, name string) error {
	return e.err(e.cli.VolumeRemove(ctx, name, false))
}

// ListVolumes returns the volumes carrying all the labels.
func (e *Engine) ListVolumes(ctx context.Context, labels map[string]string) ([]runtime.Volume, error) {
	resp, err := e.cli.VolumeList(ctx, volume.ListOptions{Filters: labelFilters(labels)})
	if err != nil {
		return nil, e.err(err)
	}
	out := make([]runtime.Volume, 0, len(resp.Volumes))
	for _, v := range resp.Volumes {
		out = append(out, fromVolume(*v))
	}
	return out, nil
}

func fromVolume(v volume.Volume) runtime.Volume {
	return runtime.Volume{Name: v.Name, Labels: v.Labels, Mountpoint: v.Mountpoint, CreatedAt: parseTime(v.CreatedAt)}
}

// mounts are the spec's named volumes as Docker mounts.
func mounts(spec runtime.ContainerSpec) []mount.Mount {
	var out []mount.Mount
	for _, m := range spec.Mounts {
		out = append(out, mount.Mount{Type: mount.TypeVolume, Source: m.Volume, Target: m.Target})
	}
	return out
}
