package docker

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/runtime"
)

func TestContainerConfig(t *testing.T) {
	spec := runtime.ContainerSpec{
		Name: "web-1", Image: "hello:v1", Cmd: []string{"serve"}, Entrypoint: []string{"/hello"},
		Env:    map[string]string{"PORT": "8080", "A": "1"},
		Labels: map[string]string{"hangar.app": "web"}, Hostname: "d8e7",
		Network: "hangar-org", IPv6Address: netip.MustParseAddr("fdaa:0:2a:a7b::2"),
		DNS:        []netip.Addr{netip.MustParseAddr("fdaa::3")},
		StopSignal: "SIGINT", StopTimeout: 1500 * time.Millisecond,
		MemoryMB: 256, CPUs: 0.5, PublishPort: 8080,
	}
	got, err := containerConfig(spec)
	if err != nil {
		t.Fatal(err)
	}
	stop := 2
	wantConfig := &container.Config{
		Hostname: "d8e7", Image: "hello:v1", Cmd: []string{"serve"}, Entrypoint: []string{"/hello"},
		Env: []string{"A=1", "PORT=8080"}, Labels: map[string]string{"hangar.app": "web"},
		StopSignal: "SIGINT", StopTimeout: &stop,
		ExposedPorts: nat.PortSet{"8080/tcp": {}},
	}
	wantHost := &container.HostConfig{
		NetworkMode:   "hangar-org",
		RestartPolicy: container.RestartPolicy{Name: "no"},
		DNS:           []string{"fdaa::3"},
		PortBindings:  nat.PortMap{"8080/tcp": {{HostIP: "127.0.0.1", HostPort: ""}}},
		Resources:     container.Resources{Memory: 256 << 20, MemorySwap: 256 << 20, NanoCPUs: 500_000_000},
	}
	wantNet := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		"hangar-org": {IPAMConfig: &network.EndpointIPAMConfig{IPv6Address: "fdaa:0:2a:a7b::2"}},
	}}
	check(t, "config", wantConfig, got.config)
	check(t, "host config", wantHost, got.host)
	check(t, "networking config", wantNet, got.network)
}

func TestContainerConfigMinimal(t *testing.T) {
	got, err := containerConfig(runtime.ContainerSpec{Image: "busybox", Tty: true, OpenStdin: true, AutoRemove: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.network != nil || got.host.PortBindings != nil || got.config.StopTimeout != nil || got.host.Memory != 0 {
		t.Errorf("unset fields were mapped: %+v %+v %+v", got.config, got.host, got.network)
	}
	c := got.config
	if !c.Tty || !c.OpenStdin || !c.AttachStdin || !got.host.AutoRemove || got.host.RestartPolicy.Name != "no" {
		t.Errorf("interactive spec mapped to %+v, %+v", c, got.host)
	}
}

func TestContainerConfigInvalid(t *testing.T) {
	v6 := netip.MustParseAddr("fdaa::2")
	tests := map[string]runtime.ContainerSpec{
		"no image":             {},
		"port too big":         {Image: "x", PublishPort: 70000},
		"ipv4 address":         {Image: "x", Network: "n", IPv6Address: netip.MustParseAddr("10.0.0.2")},
		"mapped ipv4 address":  {Image: "x", Network: "n", IPv6Address: netip.MustParseAddr("::ffff:10.0.0.2")},
		"address, no network":  {Image: "x", IPv6Address: v6},
		"negative memory":      {Image: "x", MemoryMB: -1},
		"negative stop timout": {Image: "x", StopTimeout: -time.Second},
	}
	for name, spec := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := containerConfig(spec); !errors.Is(err, runtime.ErrInvalidSpec) {
				t.Errorf("got %v, want ErrInvalidSpec", err)
			}
		})
	}
}

// netipEqual compares netip values, whose fields are unexported.
var netipEqual = []cmp.Option{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

func check(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, netipEqual...); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func TestNetworkCreateOptions(t *testing.T) {
	spec := runtime.NetworkSpec{Name: "hangar-org", Subnet: netip.MustParsePrefix("fdaa:0:2a:a7b::/64"),
		Labels: map[string]string{"hangar.org": "personal"}}
	got, err := networkCreateOptions(spec)
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	want := network.CreateOptions{
		Driver: "bridge", EnableIPv6: &yes,
		IPAM:   &network.IPAM{Driver: "default", Config: []network.IPAMConfig{{Subnet: "fdaa:0:2a:a7b::/64", Gateway: "fdaa:0:2a:a7b::1"}}},
		Labels: map[string]string{"hangar.org": "personal"},
	}
	check(t, "create options", want, got)

	for _, bad := range []runtime.NetworkSpec{{Subnet: spec.Subnet}, {Name: "n"}, {Name: "n", Subnet: netip.MustParsePrefix("10.0.0.0/24")}} {
		if _, err := networkCreateOptions(bad); !errors.Is(err, runtime.ErrInvalidSpec) {
			t.Errorf("networkCreateOptions(%+v) = %v, want ErrInvalidSpec", bad, err)
		}
	}
}

func TestCheckNetwork(t *testing.T) {
	subnet := netip.MustParsePrefix("fdaa:0:2a:a7b::/64")
	spec := runtime.NetworkSpec{Name: "n", Subnet: subnet, Labels: map[string]string{"hangar.org": "a"}}
	tests := []struct {
		name string
		got  runtime.Network
		want error
	}{
		{"same", runtime.Network{Subnet: subnet, Labels: map[string]string{"hangar.org": "a", "extra": "ok"}}, nil},
		{"other org", runtime.Network{Subnet: subnet, Labels: map[string]string{"hangar.org": "b"}}, runtime.ErrNetworkMismatch},
		{"no labels", runtime.Network{Subnet: subnet}, runtime.ErrNetworkMismatch},
		{"other subnet", runtime.Network{Subnet: netip.MustParsePrefix("fdaa:0:2b:a7b::/64"), Labels: spec.Labels}, runtime.ErrNetworkMismatch},
		{"no ipv6", runtime.Network{Labels: spec.Labels}, runtime.ErrNetworkMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := checkNetwork(spec, tt.got, nil); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFromNetwork(t *testing.T) {
	got := fromNetwork(network.Inspect{ID: "abc", Name: "n", Labels: map[string]string{"k": "v"},
		IPAM: network.IPAM{Config: []network.IPAMConfig{
			{Subnet: "172.18.0.0/16", Gateway: "172.18.0.1"},
			{Subnet: "fdaa:0:2a:a7b::/64", Gateway: "fdaa:0:2a:a7b::1"},
		}}})
	want := runtime.Network{ID: "abc", Name: "n", Labels: map[string]string{"k": "v"},
		Subnet: netip.MustParsePrefix("fdaa:0:2a:a7b::/64"), Gateway: netip.MustParseAddr("fdaa:0:2a:a7b::1")}
	check(t, "network", want, got)
}
