package runtimetest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// CreateVolume records a volume; with VolumeRoot set its Mountpoint is a real directory there.
func (e *Engine) CreateVolume(ctx context.Context, spec runtime.VolumeSpec) (runtime.Volume, error) {
	if err := e.begin("CreateVolume", spec.Name); err != nil {
		return runtime.Volume{}, err
	}
	defer e.mu.Unlock()
	if _, ok := e.volumes[spec.Name]; ok {
		return runtime.Volume{}, fmt.Errorf("%w: volume %s already exists", runtime.ErrConflict, spec.Name)
	}
	v := runtime.Volume{Name: spec.Name, Labels: maps.Clone(spec.Labels), CreatedAt: e.now()}
	if e.VolumeRoot != "" {
		v.Mountpoint = filepath.Join(e.VolumeRoot, spec.Name)
		if err := os.MkdirAll(v.Mountpoint, 0o755); err != nil {
			return runtime.Volume{}, err
		}
	}
	e.volumes[spec.Name] = v
	return v, nil
}

// InspectVolume returns a recorded volume.
func (e *Engine) InspectVolume(ctx context.Context, name string) (runtime.Volume, error) {
	if err := e.begin("InspectVolume", name); err != nil {
		return runtime.Volume{}, err
	}
	defer e.mu.Unlock()
	v, ok := e.volumes[name]
	if !ok {
		return v, fmt.Errorf("%w: volume %s not found", runtime.ErrNotFound, name)
	}
	return v, nil
}

// RemoveVolume deletes a volume no container mounts, as Docker does.
func (e *Engine) RemoveVolume(ctx context.Context, name string) error {
	if err := e.begin("RemoveVolume", name); err != nil {
		return err
	}
	defer e.mu.Unlock()
	v, ok := e.volumes[name]
	if !ok {
		return fmt.Errorf("%w: volume %s not found", runtime.ErrNotFound, name)
	}
	for _, c := range e.containers {
		if slices.ContainsFunc(c.spec.Mounts, func(m runtime.Mount) bool { return m.Volume == name }) {
			return fmt.Errorf("%w: volume %s is in use", runtime.ErrConflict, name)
		}
	}
	if v.Mountpoint != "" {
		os.RemoveAll(v.Mountpoint)
	}
	delete(e.volumes, name)
	return nil
}

// ListVolumes returns the volumes carrying all the labels, by name.
func (e *Engine) ListVolumes(ctx context.Context, labels map[string]string) ([]runtime.Volume, error) {
	if err := e.begin("ListVolumes", ""); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	var out []runtime.Volume
	for _, name := range slices.Sorted(maps.Keys(e.volumes)) {
		v := e.volumes[name]
		if hasLabels(v.Labels, labels) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Mounts returns the volumes a container was created with.
func (e *Engine) Mounts(id string) []runtime.Mount {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.containers[id]; ok {
		return slices.Clone(c.spec.Mounts)
	}
	return nil
}
