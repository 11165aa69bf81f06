package flycast

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/state"
)

// BenchmarkBuild is the plane's rebuild after a change of the state (a wake changes it
// three times), with 1 and 1 000 apps of one machine each. It should grow with the
// number of apps, not with its square.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			store := deployedApps(b, n)
			cache := configs{}
			for b.Loop() {
				if s, err := build(store, cache, time.Minute); err != nil || len(s.byAddr) != n {
					b.Fatalf("%d services, %v", len(s.byAddr), err)
				}
			}
		})
	}
}

// deployedApps is a state of n deployed apps with a Flycast address, a complete release
// serving port 80 and one stopped machine each.
func deployedApps(tb testing.TB, n int) *state.Store {
	tb.Helper()
	s, err := state.Open(filepath.Join(tb.TempDir(), "state.db"), state.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	now := time.Now()
	for i := range n {
		name := fmt.Sprintf("app-%d", i)
		cfg := fmt.Sprintf("app = '%s'\n\n[http_service]\n  internal_port = 8080\n  auto_start_machines = true\n", name)
		if _, _, err := s.CreateApp(state.NewApp{Name: name, PrivateV6: true}, now); err != nil {
			tb.Fatal(err)
		}
		r, err := s.CreateRelease(state.Release{App: name, Image: "img", Config: cfg}, now)
		if err == nil {
			err = s.FinishRelease(name, r.Version, state.ReleaseComplete, "")
		}
		if err == nil {
			_, err = s.CreateMachine(state.NewMachine{App: name, Group: state.DefaultGroup, Image: "img", Version: r.Version}, now)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return s
}
