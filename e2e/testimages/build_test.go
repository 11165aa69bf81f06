package testimages_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// TestImages builds both images and has busybox's hget fetch hello's page
// across an IPv6 network, by fixed address.
func TestImages(t *testing.T) {
	eng, ctx := engine(t)
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	hello, busybox := "hangar-test-hello:"+run, "hangar-test-busybox:"+run
	build(t, ctx, eng, testimages.BuildHello, hello)
	build(t, ctx, eng, testimages.BuildBusybox, busybox)

	net := network(t, ctx, eng, "hangar-test-images-"+run)
	addr := net.Subnet.Addr().Next().Next()
	labels := map[string]string{"hangar.test.run": run}
	server := container(t, ctx, eng, runtime.ContainerSpec{Image: hello, Network: net.Name, IPv6Address: addr, Labels: labels})
	start(t, ctx, eng, server)

	url := fmt.Sprintf("http://[%s]/probe?format=json", addr)
	// /tmp must be sticky and world-writable, and hget must reach hello.
	script := `test -k /tmp -a -w /tmp || exit 9
		for i in $(seq 100); do hget -s -t 1s "$0" && exit 0; sleep 0.1; done; hget "$0"`
	client := container(t, ctx, eng, runtime.ContainerSpec{Image: busybox, Network: net.Name, Labels: labels,
		Cmd: []string{"sh", "-c", script, url}})
	start(t, ctx, eng, client)
	out := waitExit(t, ctx, eng, client)
	if !strings.Contains(out, `"server_address":"[`+addr.String()+`]:80"`) || !strings.Contains(out, `"uri":"/probe?format=json"`) {
		t.Errorf("hget output = %q", out)
	}
}

func engine(t *testing.T) (*docker.Engine, context.Context) {
	eng, err := docker.New()
	if err == nil {
		_, err = eng.Info(context.Background())
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Docker engine: %v", err)
		}
		t.Skipf("no Docker engine: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return eng, ctx
}

type builder func(context.Context, runtime.Engine, string) error

func build(t *testing.T, ctx context.Context, eng *docker.Engine, b builder, tag string) {
	t.Helper()
	if err := b(ctx, eng, tag); err != nil {
		t.Fatalf("building %s: %v", tag, err)
	}
	t.Cleanup(func() { eng.RemoveImage(context.Background(), tag) })
}

func network(t *testing.T, ctx context.Context, eng *docker.Engine, name string) runtime.Network {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	subnet := netip.MustParsePrefix(fmt.Sprintf("fdaa:7e57:%x:%x::/64", b[:2], b[2:]))
	n, err := eng.EnsureNetwork(ctx, runtime.NetworkSpec{Name: name, Subnet: subnet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.RemoveNetwork(context.Background(), name) })
	return n
}

func container(t *testing.T, ctx context.Context, eng *docker.Engine, spec runtime.ContainerSpec) string {
	t.Helper()
	id, err := eng.CreateContainer(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.RemoveContainer(context.Background(), id, true) })
	return id
}

func start(t *testing.T, ctx context.Context, eng *docker.Engine, id string) {
	t.Helper()
	if err := eng.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
}

// waitExit waits for the container to exit 0 and returns its output.
func waitExit(t *testing.T, ctx context.Context, eng *docker.Engine, id string) string {
	t.Helper()
	var c runtime.Container
	for deadline := time.Now().Add(30 * time.Second); c.State != runtime.StateExited; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("container did not exit within 30s")
		}
		var err error
		if c, err = eng.InspectContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	rc, err := eng.Logs(ctx, id, runtime.LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out, _ := io.ReadAll(rc)
	if c.ExitCode != 0 {
		t.Fatalf("container exited %d: %s", c.ExitCode, out)
	}
	return string(out)
}

func TestBuildBusyboxNeedsStaticBusybox(t *testing.T) {
	eng, ctx := engine(t)
	old := testimages.BusyboxPath
	t.Cleanup(func() { testimages.BusyboxPath = old })
	for path, want := range map[string]string{
		"/bin/ls":                             "is dynamically linked",
		filepath.Join(t.TempDir(), "busybox"): "install Debian's busybox-static",
	} {
		testimages.BusyboxPath = path
		err := testimages.BuildBusybox(ctx, eng, "hangar-test-never-built:1")
		if err == nil || !strings.Contains(err.Error(), want) || errors.Is(err, runtime.ErrBuildFailed) {
			t.Errorf("with busybox %s: got %v, want an error saying %q", path, err, want)
		}
	}
}
