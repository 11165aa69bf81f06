package docker

import (
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// fromInspect maps a container inspect response onto runtime.Container.
func fromInspect(r container.InspectResponse) runtime.Container {
	c := runtime.Container{ID: r.ID, Name: strings.TrimPrefix(r.Name, "/")}
	if r.ContainerJSONBase == nil {
		return c
	}
	c.CreatedAt = parseTime(r.Created)
	if s := r.State; s != nil {
		c.State, c.ExitCode, c.OOMKilled, c.Error = runtime.State(s.Status), s.ExitCode, s.OOMKilled, s.Error
		c.StartedAt, c.FinishedAt = parseTime(s.StartedAt), parseTime(s.FinishedAt)
	}
	if r.Config != nil {
		c.Image, c.Labels, c.Tty = r.Config.Image, r.Config.Labels, r.Config.Tty
	}
	if r.HostConfig != nil {
		c.NetworkOf = sharedNetworkOf(r.HostConfig.NetworkMode)
	}
	if ns := r.NetworkSettings; ns != nil {
		c.Network, c.IPv6Address = ipv6Endpoint(ns.Networks)
		c.IPv4Address = ipv4Address(ns.Networks)
		c.HostPort = loopbackPort(ns.Ports)
	}
	return c
}

// fromSummary maps a container list entry onto runtime.Container.
func fromSummary(s container.Summary) runtime.Container {
	c := runtime.Container{
		ID: s.ID, Image: s.Image, State: runtime.State(s.State),
		Labels: s.Labels, CreatedAt: time.Unix(s.Created, 0),
		ExitCode: exitCodeFromStatus(s.Status),
	}
	if len(s.Names) > 0 {
		c.Name = strings.TrimPrefix(s.Names[0], "/")
	}
	c.NetworkOf = sharedNetworkOf(container.NetworkMode(s.HostConfig.NetworkMode))
	if s.NetworkSettings != nil {
		c.Network, c.IPv6Address = ipv6Endpoint(s.NetworkSettings.Networks)
	}
	for _, p := range s.Ports {
		if p.IP == loopback && p.PublicPort != 0 {
			c.HostPort = int(p.PublicPort)
		}
	}
	return c
}

// sharedNetworkOf is the container named by a "container:<name>" network mode.
func sharedNetworkOf(mode container.NetworkMode) string {
	if mode.IsContainer() {
		return mode.ConnectedContainer()
	}
	return ""
}

// ipv4Address is the first IPv4 address of the container, by network name.
func ipv4Address(nets map[string]*network.EndpointSettings) netip.Addr {
	for _, name := range slices.Sorted(maps.Keys(nets)) {
		if ep := nets[name]; ep != nil {
			if a, err := netip.ParseAddr(ep.IPAddress); err == nil {
				return a
			}
		}
	}
	return netip.Addr{}
}

// ipv6Endpoint returns the first network, by name, on which the container has
// an IPv6 address: the live one, else the fixed one it asked for.
func ipv6Endpoint(nets map[string]*network.EndpointSettings) (string, netip.Addr) {
	for _, name := range slices.Sorted(maps.Keys(nets)) {
		ep := nets[name]
		if ep == nil {
			continue
		}
		addr := ep.GlobalIPv6Address
		if addr == "" && ep.IPAMConfig != nil {
			addr = ep.IPAMConfig.IPv6Address
		}
		if a, err := netip.ParseAddr(addr); err == nil {
			return name, a
		}
	}
	return "", netip.Addr{}
}

// loopbackPort returns the host port bound on 127.0.0.1, known after start.
func loopbackPort(ports nat.PortMap) int {
	for _, bindings := range ports {
		for _, b := range bindings {
			if p, err := strconv.Atoi(b.HostPort); err == nil && b.HostIP == loopback {
				return p
			}
		}
	}
	return 0
}

var reExited = regexp.MustCompile(`^Exited \((-?\d+)\)`)

// exitCodeFromStatus reads the code in a list entry's "Exited (137) 2 minutes ago".
func exitCodeFromStatus(status string) int {
	if m := reExited.FindStringSubmatch(status); m != nil {
		code, _ := strconv.Atoi(m[1])
		return code
	}
	return 0
}
