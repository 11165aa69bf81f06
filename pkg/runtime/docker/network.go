package docker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/network"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// EnsureNetwork creates an IPv6 bridge network on spec's subnet, or returns
// the existing one if its subnet and labels match.
func (e *Engine) EnsureNetwork(ctx context.Context, spec runtime.NetworkSpec) (runtime.Network, error) {
	opts, err := networkCreateOptions(spec)
	if err != nil {
		return runtime.Network{}, err
	}
	if n, err := e.inspectNetwork(ctx, spec.Name); !errors.Is(err, runtime.ErrNotFound) {
		return checkNetwork(spec, n, err)
	}
	// A conflict means another caller created it meanwhile: inspect settles it.
	if _, err := e.cli.NetworkCreate(ctx, spec.Name, opts); err != nil && !cerrdefs.IsConflict(err) {
		return runtime.Network{}, fmt.Errorf("creating network %s on %s: %w", spec.Name, spec.Subnet, e.err(err))
	}
	n, err := e.inspectNetwork(ctx, spec.Name)
	return checkNetwork(spec, n, err)
}

// RemoveNetwork deletes a network; runtime.ErrNotFound if there is none.
func (e *Engine) RemoveNetwork(ctx context.Context, name string) error {
	return e.err(e.cli.NetworkRemove(ctx, name))
}

func (e *Engine) inspectNetwork(ctx context.Context, name string) (runtime.Network, error) {
	n, err := e.cli.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return runtime.Network{}, e.err(err)
	}
	return fromNetwork(n), nil
}

// networkCreateOptions maps a spec onto Docker's request for a bridge network.
func networkCreateOptions(spec runtime.NetworkSpec) (network.CreateOptions, error) {
	if spec.Name == "" || !spec.Subnet.IsValid() || !spec.Subnet.Addr().Is6() {
		return network.CreateOptions{}, &engineError{kind: runtime.ErrInvalidSpec,
			msg: fmt.Sprintf("invalid network spec: need a name and an IPv6 subnet (got %q, %q)", spec.Name, spec.Subnet)}
	}
	ipv6 := true
	return network.CreateOptions{
		Driver:     "bridge",
		EnableIPv6: &ipv6,
		IPAM: &network.IPAM{Driver: "default", Config: []network.IPAMConfig{{
			Subnet:  spec.Subnet.Masked().String(),
			Gateway: spec.DefaultGateway().String(),
		}}},
		Labels: maps.Clone(spec.Labels),
	}, nil
}

// checkNetwork accepts an existing network only if it is the one spec describes.
func checkNetwork(spec runtime.NetworkSpec, got runtime.Network, err error) (runtime.Network, error) {
	if err != nil {
		return got, fmt.Errorf("inspecting network %s: %w", spec.Name, err)
	}
	if !got.Subnet.IsValid() {
		return got, mismatch(spec.Name, "it has no IPv6 subnet")
	}
	if got.Subnet != spec.Subnet.Masked() {
		return got, mismatch(spec.Name, "its IPv6 subnet is %s, not %s", got.Subnet, spec.Subnet.Masked())
	}
	for k, v := range spec.Labels {
		if have, ok := got.Labels[k]; !ok || have != v {
			return got, mismatch(spec.Name, "its label %s is %q, not %q", k, have, v)
		}
	}
	return got, nil
}

func mismatch(name, format string, args ...any) error {
	return &engineError{kind: runtime.ErrNetworkMismatch, msg: fmt.Sprintf(
		"network %s already exists but is not the one Hangar expects: %s (remove it with docker network rm %s)",
		name, fmt.Sprintf(format, args...), name)}
}

// bridgeName is Docker's host device for a bridge network: the name set in its options,
// else "br-" and the first 12 characters of its ID.
func bridgeName(n network.Inspect) string {
	if name := n.Options["com.docker.network.bridge.name"]; name != "" {
		return name
	}
	if n.Driver != "bridge" || len(n.ID) < 12 {
		return ""
	}
	return "br-" + n.ID[:12]
}

// fromNetwork reads the IPv6 part of a network's IPAM configuration.
func fromNetwork(n network.Inspect) runtime.Network {
	out := runtime.Network{ID: n.ID, Name: n.Name, Labels: n.Labels, Interface: bridgeName(n)}
	for _, c := range n.IPAM.Config {
		if !strings.Contains(c.Subnet, ":") {
			continue
		}
		out.Subnet, _ = netip.ParsePrefix(c.Subnet)
		out.Gateway, _ = netip.ParseAddr(c.Gateway)
	}
	return out
}
