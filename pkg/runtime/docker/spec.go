package docker

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// loopback is the only host address Hangar publishes ports on.
const loopback = "127.0.0.1"

// createRequest is what ContainerCreate takes, built from a spec.
type createRequest struct {
	config  *container.Config
	host    *container.HostConfig
	network *network.NetworkingConfig
}

// containerConfig maps a spec onto Docker's create request.
func containerConfig(spec runtime.ContainerSpec) (createRequest, error) {
	if err := validateSpec(spec); err != nil {
		return createRequest{}, err
	}
	req := createRequest{
		config: &container.Config{
			Hostname: spec.Hostname, Image: spec.Image,
			Cmd: spec.Cmd, Entrypoint: spec.Entrypoint,
			Env: envList(spec.Env), Labels: maps.Clone(spec.Labels),
			WorkingDir: spec.WorkingDir, User: spec.User,
			StopSignal: spec.StopSignal, StopTimeout: seconds(spec.StopTimeout),
			Tty: spec.Tty, OpenStdin: spec.OpenStdin, StdinOnce: spec.StdinOnce,
			AttachStdin: spec.OpenStdin, AttachStdout: spec.OpenStdin, AttachStderr: spec.OpenStdin,
		},
		host: &container.HostConfig{
			NetworkMode:   networkMode(spec),
			RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyDisabled},
			AutoRemove:    spec.AutoRemove,
			Init:          initFlag(spec.Init),
			DNS:           addrStrings(spec.DNS),
			DNSSearch:     spec.DNSSearch,
			Binds:         resolvBind(spec.ResolvConf),
			Resources:     resources(spec),
			Mounts:        mounts(spec),
		},
		network: endpoints(spec),
	}
	publish(req, spec.PublishPort)
	return req, nil
}

func validateSpec(spec runtime.ContainerSpec) error {
	switch {
	case spec.Image == "":
		return invalid("no image given")
	case spec.PublishPort < 0 || spec.PublishPort > 65535:
		return invalid("port %d to publish is outside 1-65535", spec.PublishPort)
	case spec.IPv6Address.IsValid() && !spec.IPv6Address.Is6() || spec.IPv6Address.Is4In6():
		return invalid("%s is not an IPv6 address", spec.IPv6Address)
	case spec.IPv6Address.IsValid() && spec.Network == "":
		return invalid("a fixed address (%s) needs a network", spec.IPv6Address)
	case spec.NetworkOf != "" && (spec.Network != "" || spec.IPv6Address.IsValid() || spec.Hostname != "" || len(spec.DNS) > 0 || spec.PublishPort != 0):
		return invalid("a container sharing the network of %s takes its network, address, hostname, DNS and ports from it", spec.NetworkOf)
	case spec.MemoryMB < 0 || spec.CPUs < 0 || spec.StopTimeout < 0:
		return invalid("memory, CPUs and stop timeout cannot be negative")
	}
	return validateMounts(spec.Mounts)
}

func invalid(format string, args ...any) error {
	msg := "invalid container spec: " + fmt.Sprintf(format, args...)
	return &engineError{msg: msg, kind: runtime.ErrInvalidSpec}
}

// networkMode is the network to join, or "container:<name>" to share another's.
func networkMode(spec runtime.ContainerSpec) container.NetworkMode {
	if spec.NetworkOf != "" {
		return container.NetworkMode("container:" + spec.NetworkOf)
	}
	return container.NetworkMode(spec.Network)
}

// publish asks for an ephemeral host port on loopback for the internal port.
func publish(req createRequest, internal int) {
	if internal == 0 {
		return
	}
	port := nat.Port(strconv.Itoa(internal) + "/tcp")
	req.config.ExposedPorts = nat.PortSet{port: struct{}{}}
	req.host.PortBindings = nat.PortMap{port: {{HostIP: loopback, HostPort: ""}}}
}

// endpoints joins the spec's network, with its fixed address if any.
func endpoints(spec runtime.ContainerSpec) *network.NetworkingConfig {
	if spec.Network == "" {
		return nil
	}
	ep := &network.EndpointSettings{}
	if spec.IPv6Address.IsValid() {
		ep.IPAMConfig = &network.EndpointIPAMConfig{IPv6Address: spec.IPv6Address.String()}
	}
	return &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{spec.Network: ep}}
}

// resources limits memory without swap, and CPUs in billionths.
func resources(spec runtime.ContainerSpec) container.Resources {
	var r container.Resources
	if spec.MemoryMB > 0 {
		r.Memory = int64(spec.MemoryMB) << 20
		r.MemorySwap = r.Memory
	}
	if spec.CPUs > 0 {
		r.NanoCPUs = int64(math.Round(spec.CPUs * 1e9))
	}
	return r
}

// seconds rounds d up to whole seconds for Docker; nil when d is zero.
func seconds(d time.Duration) *int {
	if d <= 0 {
		return nil
	}
	s := int(math.Ceil(d.Seconds()))
	return &s
}

// envList returns env as sorted KEY=value entries.
func envList(env map[string]string) []string {
	var list []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		list = append(list, k+"="+env[k])
	}
	return list
}

func addrStrings[T fmt.Stringer](addrs []T) []string {
	var out []string
	for _, a := range addrs {
		out = append(out, a.String())
	}
	return out
}

// resolvBind mounts a host file over the container's resolv.conf: Docker then leaves
// it alone instead of pointing the container at its embedded DNS server.
func resolvBind(path string) []string {
	if path == "" {
		return nil
	}
	return []string{path + ":/etc/resolv.conf:ro"}
}

// initFlag is HostConfig.Init: a pointer, nil leaving the daemon's default.
func initFlag(on bool) *bool {
	if !on {
		return nil
	}
	return &on
}

func validateMounts(ms []runtime.Mount) error {
	for _, m := range ms {
		if m.Volume == "" || len(m.Target) < 2 || m.Target[0] != '/' {
			return invalid("mount %q at %q: need a volume and an absolute path other than /", m.Volume, m.Target)
		}
	}
	return nil
}
