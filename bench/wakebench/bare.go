package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/sandbox"
)

// bare runs the baselines: the same image in containers of its own, on Docker's default
// IPv4 bridge and on an IPv6 bridge made as Hangar makes an organization's. Everything
// it creates carries its label, and close removes it.
type bare struct {
	eng          *docker.Engine
	image        string
	label        map[string]string
	v4, v6       string // network names
	v6Net        netip.Prefix
	addrs, names int // handed out so far
}

func newBare(ctx context.Context, eng *docker.Engine, image string) (*bare, error) {
	name := fmt.Sprintf("wakebench-%d", os.Getpid())
	b := &bare{eng: eng, image: image, label: map[string]string{"hangar-wakebench": name}, v4: "bridge", v6: name + "-v6"}
	var p [7]byte // a random ULA /64, so as not to meet a network already there
	rand.Read(p[:])
	b.v6Net = netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, p[0], p[1], p[2], p[3], p[4], p[5], p[6]}), 64)
	_, err := eng.EnsureNetwork(ctx, runtime.NetworkSpec{Name: b.v6, Subnet: b.v6Net, Labels: b.label})
	return b, err
}

// addr is the nth address of the IPv6 network (a fixed one per container).
func (b *bare) addr() netip.Addr {
	b.addrs++
	a := b.v6Net.Addr().As16()
	a[14], a[15] = byte(b.addrs>>8), byte(b.addrs+16)
	return netip.AddrFrom16(a)
}

func (b *bare) spec(net string, addr netip.Addr) runtime.ContainerSpec {
	b.names++
	return runtime.ContainerSpec{Name: fmt.Sprintf("%s-%d", b.label["hangar-wakebench"], b.names), Image: b.image,
		Network: net, IPv6Address: addr, Labels: b.label}
}

// createStart times docker run -d on net: create, start, the container's address (one
// inspect on IPv4, fixed on IPv6), then GET until it answers.
func (b *bare) createStart(ctx context.Context, v6 bool) (time.Duration, error) {
	spec := b.spec(b.v4, netip.Addr{})
	if v6 {
		spec = b.spec(b.v6, b.addr())
	}
	start := time.Now()
	id, err := b.eng.CreateContainer(ctx, spec)
	if err != nil {
		return 0, err
	}
	defer b.eng.RemoveContainer(ctx, id, true)
	if err := b.eng.StartContainer(ctx, id); err != nil {
		return 0, err
	}
	url, err := b.url(ctx, id, spec)
	if err != nil {
		return 0, err
	}
	return benchenv.UntilAnswer(url, start)
}

func (b *bare) url(ctx context.Context, id string, spec runtime.ContainerSpec) (string, error) {
	if spec.IPv6Address.IsValid() {
		return "http://[" + spec.IPv6Address.String() + "]:80/", nil
	}
	c, err := b.eng.InspectContainer(ctx, id)
	if err != nil {
		return "", err
	}
	if c.IPv4Address.IsValid() {
		return "http://" + c.IPv4Address.String() + ":80/", nil
	}
	return "", fmt.Errorf("container %s has no address on %s", id, b.v4)
}

// restart times docker start of an existing, stopped container on the IPv4 bridge.
func (b *bare) restart(ctx context.Context, n int) (time.Duration, error) {
	spec := b.spec(b.v4, netip.Addr{})
	id, err := b.eng.CreateContainer(ctx, spec)
	if err != nil {
		return 0, err
	}
	defer b.eng.RemoveContainer(ctx, id, true)
	return benchenv.Median(n, func() (time.Duration, error) {
		b.eng.StopContainer(ctx, id, "", 0)
		start := time.Now()
		if err := b.eng.StartContainer(ctx, id); err != nil {
			return 0, err
		}
		url, err := b.url(ctx, id, spec)
		if err != nil {
			return 0, err
		}
		return benchenv.UntilAnswer(url, start)
	})
}

// floor times docker start of a container joined to a running sandbox (Hangar's own
// sandbox image, on the IPv6 bridge), made as Hangar makes a machine's two containers.
func (b *bare) floor(ctx context.Context, n int) (time.Duration, error) {
	ref, err := sandbox.Ensure(ctx, b.eng, nil)
	if err != nil {
		return 0, err
	}
	sb := b.spec(b.v6, b.addr())
	sb.Image, sb.Init, sb.Name = ref, true, sb.Name+"-sandbox"
	sid, err := b.eng.CreateContainer(ctx, sb)
	if err != nil {
		return 0, err
	}
	defer b.eng.RemoveContainer(ctx, sid, true)
	if err := b.eng.StartContainer(ctx, sid); err != nil {
		return 0, err
	}
	id, err := b.eng.CreateContainer(ctx, runtime.ContainerSpec{Name: sb.Name + "-app", Image: b.image, NetworkOf: sid, Labels: b.label, Init: true})
	if err != nil {
		return 0, err
	}
	defer b.eng.RemoveContainer(ctx, id, true)
	url := "http://[" + sb.IPv6Address.String() + "]:80/"
	return benchenv.Median(n, func() (time.Duration, error) {
		b.eng.StopContainer(ctx, id, "", 0)
		start := time.Now()
		if err := b.eng.StartContainer(ctx, id); err != nil {
			return 0, err
		}
		return benchenv.UntilAnswer(url, start)
	})
}

// close removes every container with the run's label, and its IPv6 network.
func (b *bare) close() {
	ctx := context.Background()
	cs, _ := b.eng.ListContainers(ctx, b.label)
	for _, c := range cs {
		b.eng.RemoveContainer(ctx, c.ID, true)
	}
	b.eng.RemoveNetwork(ctx, b.v6)
}
