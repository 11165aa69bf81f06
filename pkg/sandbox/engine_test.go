package sandbox_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/internal/enginetest"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/sandbox"
)

// TestSandboxOnTheEngine builds the image, runs it under the engine's init
// and stops it with SIGTERM, which the init forwards to the pause program.
func TestSandboxOnTheEngine(t *testing.T) {
	eng := enginetest.Connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// No test labels on the image: it is tagged by content and so shared with
	// any Hangar on this engine, whose containers would inherit them.
	ref, err := sandbox.Ensure(ctx, eng, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := create(ctx, t, eng, runtime.ContainerSpec{Image: ref, Init: true, Labels: map[string]string{"hangar.test": "sandbox"}, Name: "hangar-test-sandbox-" + randomHex(4)})
	if err := eng.StartContainer(ctx, id); err != nil {
		t.Fatalf("starting: %v", err)
	}
	if c := inspect(ctx, t, eng, id); c.State != runtime.StateRunning {
		t.Fatalf("state %s after start, want running (error %q)", c.State, c.Error)
	}
	logMemory(t, id)
	start := time.Now()
	if err := eng.StopContainer(ctx, id, "SIGTERM", 10*time.Second); err != nil {
		t.Fatalf("stopping: %v", err)
	}
	t.Logf("stopped in %v", time.Since(start))
	c := inspect(ctx, t, eng, id)
	// docker-init exits 128+15 when its child dies of SIGTERM; a kill after the
	// grace period would be 137.
	if c.State != runtime.StateExited || c.ExitCode != 143 {
		t.Errorf("state %s, exit code %d after SIGTERM; want exited, 143", c.State, c.ExitCode)
	}
}

// create creates a container, removed at cleanup whatever the test's outcome.
func create(ctx context.Context, t *testing.T, eng *docker.Engine, spec runtime.ContainerSpec) string {
	t.Helper()
	id, err := eng.CreateContainer(ctx, spec)
	if err != nil {
		t.Fatalf("creating container: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := eng.RemoveContainer(ctx, id, true); err != nil && !errors.Is(err, runtime.ErrNotFound) {
			t.Errorf("removing container: %v", err)
		}
	})
	return id
}

func inspect(ctx context.Context, t *testing.T, eng *docker.Engine, id string) runtime.Container {
	t.Helper()
	c, err := eng.InspectContainer(ctx, id)
	if err != nil {
		t.Fatalf("inspecting: %v", err)
	}
	return c
}

// logMemory logs the container's memory use as its cgroup counts it, if the
// cgroup is where Docker puts it with systemd or cgroupfs, v2 or v1.
func logMemory(t *testing.T, id string) {
	for _, path := range []string{
		"/sys/fs/cgroup/system.slice/docker-" + id + ".scope/memory.current",
		"/sys/fs/cgroup/docker/" + id + "/memory.current",
		"/sys/fs/cgroup/memory/docker/" + id + "/memory.usage_in_bytes",
		"/sys/fs/cgroup/memory/system.slice/docker-" + id + ".scope/memory.usage_in_bytes",
	} {
		if b, err := os.ReadFile(path); err == nil {
			t.Logf("memory: %s bytes (%s)", strings.TrimSpace(string(b)), path)
			return
		}
	}
	t.Log("memory: no cgroup file found")
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
