package docker_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// runID labels and names everything this test run creates.
var runID = randomHex(4)

const runLabel = "hangar.test.run"

func TestMain(m *testing.M) {
	code := m.Run()
	sweep()
	os.Exit(code)
}

// sweep removes whatever a crashed test left behind: containers by label,
// images by tag.
func sweep() {
	eng, err := docker.New()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, _ := eng.ListContainers(ctx, map[string]string{runLabel: runID})
	for _, c := range list {
		eng.RemoveContainer(ctx, c.ID, true)
	}
	for _, img := range images {
		if img.err == nil && img.tag != "" {
			eng.RemoveImage(ctx, img.tag)
		}
	}
}

// harness is a test's connection to the real engine.
type harness struct {
	t    *testing.T
	eng  *docker.Engine
	ctx  context.Context
	name string // per test, for labels and names
}

// newHarness connects to the engine, skipping the test when none answers
// (failing it when CI=true).
func newHarness(t *testing.T) *harness {
	t.Helper()
	eng, err := docker.New()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = eng.Info(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Docker engine: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return &harness{t: t, eng: eng, ctx: ctx, name: fmt.Sprintf("hangar-test-%s-%s", runID, randomHex(3))}
}

// labels are the run's and this test's labels.
func (h *harness) labels() map[string]string {
	return map[string]string{runLabel: runID, "hangar.test.case": h.name}
}

// create creates a container labelled for this test, removed at cleanup.
func (h *harness) create(spec runtime.ContainerSpec) string {
	h.t.Helper()
	if spec.Labels == nil {
		spec.Labels = h.labels()
	}
	id, err := h.eng.CreateContainer(h.ctx, spec)
	if err != nil {
		h.t.Fatalf("creating container: %v", err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := h.eng.RemoveContainer(ctx, id, true); err != nil && !errors.Is(err, runtime.ErrNotFound) {
			h.t.Errorf("removing container: %v", err)
		}
	})
	return id
}

// network creates an IPv6 network on a random fdaa /64, removed at cleanup.
func (h *harness) network() runtime.Network {
	h.t.Helper()
	spec := runtime.NetworkSpec{Name: h.name, Subnet: randomSubnet(), Labels: h.labels()}
	n, err := h.eng.EnsureNetwork(h.ctx, spec)
	if err != nil {
		h.t.Fatalf("creating network: %v", err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := h.eng.RemoveNetwork(ctx, spec.Name); err != nil && !errors.Is(err, runtime.ErrNotFound) {
			h.t.Errorf("removing network: %v", err)
		}
	})
	return n
}

func (h *harness) start(id string) {
	h.t.Helper()
	if err := h.eng.StartContainer(h.ctx, id); err != nil {
		h.t.Fatalf("starting container: %v", err)
	}
}

// waitState polls until the container is in state.
func (h *harness) waitState(id string, state runtime.State) runtime.Container {
	h.t.Helper()
	var c runtime.Container
	waitFor(h.t, fmt.Sprintf("container in state %s", state), func() bool {
		var err error
		c, err = h.eng.InspectContainer(h.ctx, id)
		return err == nil && c.State == state
	})
	return c
}

// waitFor polls cond every 50ms for up to 30s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// image is a test image built once per run.
type image struct {
	once sync.Once
	tag  string
	err  error
}

var images = map[string]*image{"hello": {}, "busybox": {}}

var builders = map[string]func(context.Context, runtime.Engine, string) error{
	"hello": testimages.BuildHello, "busybox": testimages.BuildBusybox,
}

// image returns the tag of a test image, building it on first use.
func (h *harness) image(name string) string {
	h.t.Helper()
	img := images[name]
	img.once.Do(func() {
		tag := fmt.Sprintf("hangar-test-%s:%s", name, runID)
		if img.err = builders[name](h.ctx, h.eng, tag); img.err == nil {
			img.tag = tag
		}
	})
	if img.err != nil {
		h.t.Fatalf("building the %s image: %v", name, img.err)
	}
	return img.tag
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// randomSubnet is an fdaa:7e57:xxxx:xxxx::/64 unlikely to overlap anyone's.
func randomSubnet() netip.Prefix {
	var a [16]byte
	a[0], a[1], a[2], a[3] = 0xfd, 0xaa, 0x7e, 0x57
	rand.Read(a[4:8])
	binary.BigEndian.PutUint64(a[8:], 0)
	return netip.PrefixFrom(netip.AddrFrom16(a), 64)
}
