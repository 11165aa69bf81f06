package e2e

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// images are built once for the package run and removed by TestMain.
var images struct {
	once   sync.Once
	err    error
	engine *docker.Engine
	hello  string // the hello server
	hello2 string // the same server under a second tag: a "new image" for redeploys
	shell  string // busybox (from Debian's busybox-static) with our static hget
}

// needEngine returns the Docker engine with the test images built, or skips the test;
// with CI=true a missing engine fails it instead.
func needEngine(t *testing.T) *docker.Engine {
	t.Helper()
	images.once.Do(buildImages)
	if images.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("these tests need a Docker engine: %v", images.err)
		}
		t.Skipf("no Docker engine: %v", images.err)
	}
	return images.engine
}

func buildImages() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	eng, err := docker.New()
	if err == nil {
		_, err = eng.Info(ctx)
	}
	if err != nil {
		images.err = err
		return
	}
	images.engine = eng
	run := fmt.Sprintf("%d", os.Getpid())
	images.hello, images.hello2 = "hangar-e2e-hello:"+run, "hangar-e2e-hello:"+run+"-v2"
	images.shell = "hangar-e2e-busybox:" + run
	for _, tag := range []string{images.hello, images.hello2} {
		if images.err = testimages.BuildHello(ctx, eng, tag); images.err != nil {
			return
		}
	}
	images.err = testimages.BuildBusybox(ctx, eng, images.shell)
}

// removeImages runs after every test, from TestMain.
func removeImages() {
	if images.engine == nil {
		return
	}
	ctx := context.Background()
	for _, tag := range []string{images.hello, images.hello2, images.shell} {
		images.engine.RemoveImage(ctx, tag)
	}
}

// containersOf lists the app's own containers of an app's machines, in any state.
func containersOf(t *testing.T, eng runtime.Engine, app string) []runtime.Container {
	return slices.DeleteFunc(everyContainerOf(t, eng, app), isSandbox)
}

// sandboxesOf lists the sandboxes of an app's machines, in any state.
func sandboxesOf(t *testing.T, eng runtime.Engine, app string) []runtime.Container {
	return slices.DeleteFunc(everyContainerOf(t, eng, app), func(c runtime.Container) bool { return !isSandbox(c) })
}

func isSandbox(c runtime.Container) bool { return c.Labels["hangar.role"] == "sandbox" }

// everyContainerOf lists every container labelled with the app, sandboxes too.
func everyContainerOf(t *testing.T, eng runtime.Engine, app string) []runtime.Container {
	cs, err := eng.ListContainers(context.Background(), map[string]string{"hangar.app": app})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
