package runtimetest

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// container is a fake container and what tests can observe of it.
type container struct {
	runtime.Container
	spec       runtime.ContainerSpec
	logs       string
	rows, cols uint
	terminal   net.Conn // the container's side of an attach
}

// CreateContainer checks the image, name and network, then adds a created container.
func (e *Engine) CreateContainer(ctx context.Context, spec runtime.ContainerSpec) (string, error) {
	if err := e.begin("CreateContainer", spec.Name); err != nil {
		return "", err
	}
	defer e.mu.Unlock()
	if err := e.checkCreate(spec); err != nil {
		return "", err
	}
	id := e.newID()
	if spec.Name == "" {
		spec.Name = "fake-" + id[len(id)-8:]
	}
	e.containers[id] = &container{spec: spec, Container: runtime.Container{
		ID: id, Name: spec.Name, Image: spec.Image, State: runtime.StateCreated, CreatedAt: e.now(),
		Labels: maps.Clone(spec.Labels), Tty: spec.Tty, Network: spec.Network, IPv6Address: spec.IPv6Address,
		NetworkOf: spec.NetworkOf,
	}}
	return id, nil
}

func (e *Engine) checkCreate(spec runtime.ContainerSpec) error {
	n, hasNet := e.networks[spec.Network]
	switch {
	case !e.images[spec.Image]:
		return fmt.Errorf("%w: image %s is not available locally", runtime.ErrImageNotFound, spec.Image)
	case spec.Name != "" && e.byName(spec.Name) != nil:
		return fmt.Errorf("%w: the container name %q is already in use", runtime.ErrConflict, spec.Name)
	case spec.Network != "" && !hasNet:
		return fmt.Errorf("%w: network %s not found", runtime.ErrNotFound, spec.Network)
	case spec.NetworkOf != "" && e.networkOwner(spec.NetworkOf) == nil:
		return fmt.Errorf("%w: no such container: %s", runtime.ErrNotFound, spec.NetworkOf)
	case spec.IPv6Address.IsValid() && !n.Subnet.Contains(spec.IPv6Address):
		return fmt.Errorf("%w: %s is outside network %s", runtime.ErrInvalidSpec, spec.IPv6Address, spec.Network)
	}
	return nil
}

func (e *Engine) byName(name string) *container {
	for _, c := range e.containers {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// lookup finds a container by ID, name or unique ID prefix, as Docker does.
func (e *Engine) lookup(ref string) (*container, error) {
	if c, ok := e.containers[ref]; ok {
		return c, nil
	}
	if c := e.byName(ref); c != nil {
		return c, nil
	}
	var found []*container
	for id, c := range e.containers {
		if ref != "" && strings.HasPrefix(id, ref) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: container %s not found", runtime.ErrNotFound, ref)
}

// InspectContainer returns a copy of the container's state.
func (e *Engine) InspectContainer(ctx context.Context, id string) (runtime.Container, error) {
	if err := e.begin("InspectContainer", id); err != nil {
		return runtime.Container{}, err
	}
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err != nil {
		return runtime.Container{}, err
	}
	return c.snapshot(), nil
}

func (c *container) snapshot() runtime.Container {
	out := c.Container
	out.Labels = maps.Clone(c.Labels)
	return out
}

// ListContainers returns the containers carrying all labels, oldest first.
func (e *Engine) ListContainers(ctx context.Context, labels map[string]string) ([]runtime.Container, error) {
	if err := e.begin("ListContainers", ""); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	out := []runtime.Container{}
	for _, id := range slices.Sorted(maps.Keys(e.containers)) {
		if c := e.containers[id]; hasLabels(c.Labels, labels) {
			out = append(out, c.snapshot())
		}
	}
	return out, nil
}

func hasLabels(have, want map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// SetLogs replaces what Logs returns for a container.
func (e *Engine) SetLogs(id, text string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err == nil {
		c.logs = text
	}
	return err
}
