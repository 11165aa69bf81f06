// Package enginetest connects tests to the real Docker engine, failing them when CI=true
// and none answers, skipping them otherwise.
package enginetest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// Connect returns the engine, or ends the test: a failure under CI=true, where the
// engine must be there, a skip elsewhere.
func Connect(t testing.TB) *docker.Engine {
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
	return eng
}
