//go:build linux

// Package netnstest runs a test's code inside a network namespace of its own, so tests of host networking change nothing on the host.
package netnstest

import (
	"os"
	goruntime "runtime"
	"testing"

	"github.com/vishvananda/netns"
)

// Run runs f on this goroutine's thread inside a fresh network namespace, which
// disappears (with everything made in it) when f returns. It needs root: without it the
// test fails when CI=true and is skipped elsewhere.
func Run(t testing.TB, f func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test needs root to create a network namespace")
		}
		t.Skip("needs root to create a network namespace")
	}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	origin, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer origin.Close()
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	defer netns.Set(origin)
	f()
}
