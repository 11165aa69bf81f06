package runtimetest

import (
	"context"
	"fmt"
	"maps"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// EnsureNetwork creates the network or returns the existing one if its
// subnet and labels match; overlapping subnets fail with ErrSubnetInUse.
func (e *Engine) EnsureNetwork(ctx context.Context, spec runtime.NetworkSpec) (runtime.Network, error) {
	if err := e.begin("EnsureNetwork", spec.Name); err != nil {
		return runtime.Network{}, err
	}
	defer e.mu.Unlock()
	if n, ok := e.networks[spec.Name]; ok {
		return n, matches(spec, n)
	}
	for _, n := range e.networks {
		if n.Subnet.Overlaps(spec.Subnet) {
			return runtime.Network{}, fmt.Errorf("%w: %s overlaps network %s", runtime.ErrSubnetInUse, spec.Subnet, n.Name)
		}
	}
	n := runtime.Network{ID: e.newID(), Name: spec.Name, Subnet: spec.Subnet.Masked(),
		Gateway: spec.DefaultGateway(), Labels: maps.Clone(spec.Labels)}
	e.networks[spec.Name] = n
	return n, nil
}

func matches(spec runtime.NetworkSpec, n runtime.Network) error {
	if n.Subnet != spec.Subnet.Masked() {
		return fmt.Errorf("%w: network %s has subnet %s", runtime.ErrNetworkMismatch, n.Name, n.Subnet)
	}
	for k, v := range spec.Labels {
		if n.Labels[k] != v {
			return fmt.Errorf("%w: network %s has label %s=%q", runtime.ErrNetworkMismatch, n.Name, k, n.Labels[k])
		}
	}
	return nil
}

// RemoveNetwork deletes a network that no container uses.
func (e *Engine) RemoveNetwork(ctx context.Context, name string) error {
	if err := e.begin("RemoveNetwork", name); err != nil {
		return err
	}
	defer e.mu.Unlock()
	if _, ok := e.networks[name]; !ok {
		return fmt.Errorf("%w: network %s not found", runtime.ErrNotFound, name)
	}
	for _, c := range e.containers {
		if c.spec.Network == name {
			return fmt.Errorf("%w: network %s has active endpoints", runtime.ErrConflict, name)
		}
	}
	delete(e.networks, name)
	return nil
}
