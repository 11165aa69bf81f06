package docker

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// CreateContainer creates a container from spec and returns its ID.
func (e *Engine) CreateContainer(ctx context.Context, spec runtime.ContainerSpec) (string, error) {
	req, err := containerConfig(spec)
	if err != nil {
		return "", err
	}
	resp, err := e.cli.ContainerCreate(ctx, req.config, req.host, req.network, nil, spec.Name)
	if err != nil {
		return "", e.err(err)
	}
	return resp.ID, nil
}

// StartContainer starts a created or stopped container.
func (e *Engine) StartContainer(ctx context.Context, id string) error {
	return e.err(e.cli.ContainerStart(ctx, id, container.StartOptions{}))
}

// PauseContainer freezes a running container's processes.
func (e *Engine) PauseContainer(ctx context.Context, id string) error {
	return e.err(e.cli.ContainerPause(ctx, id))
}

// UnpauseContainer thaws a paused container.
func (e *Engine) UnpauseContainer(ctx context.Context, id string) error {
	return e.err(e.cli.ContainerUnpause(ctx, id))
}

// RemoveContainer deletes a container and its anonymous volumes.
func (e *Engine) RemoveContainer(ctx context.Context, id string, force bool) error {
	return e.err(e.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: force, RemoveVolumes: true}))
}

// InspectContainer returns a container's state.
func (e *Engine) InspectContainer(ctx context.Context, id string) (runtime.Container, error) {
	resp, err := e.cli.ContainerInspect(ctx, id)
	if err != nil {
		return runtime.Container{}, e.err(err)
	}
	return fromInspect(resp), nil
}

// ListContainers returns containers in every state that carry all labels.
func (e *Engine) ListContainers(ctx context.Context, labels map[string]string) ([]runtime.Container, error) {
	list, err := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: labelFilters(labels)})
	if err != nil {
		return nil, e.err(err)
	}
	out := make([]runtime.Container, 0, len(list))
	for _, s := range list {
		out = append(out, fromSummary(s))
	}
	return out, nil
}

func labelFilters(labels map[string]string) filters.Args {
	args := filters.NewArgs()
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		args.Add("label", k+"="+labels[k])
	}
	return args
}

// parseTime reads Docker's RFC 3339 times; "0001-01-01T00:00:00Z" is zero.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t
}
