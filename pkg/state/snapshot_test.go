package state

import (
	"testing"
	"time"
)

// TestSnapshotFindsEachAppsDeployedRelease: the snapshot holds every app with its
// addresses and its newest complete release, however the names of other apps sort
// around it ("web", "web-x", "web0", "we").
func TestSnapshotFindsEachAppsDeployedRelease(t *testing.T) {
	s := openTest(t)
	now := time.Now()
	names := []string{"web", "web-x", "web0", "we"}
	for _, name := range names {
		mustCreate(t, s, name, true)
	}
	finish := func(app, status string) int {
		r, err := s.CreateRelease(Release{App: app, Image: "hello", Config: "app = '" + app + "'"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRelease(app, r.Version, status, ""); err != nil {
			t.Fatal(err)
		}
		return r.Version
	}
	want := map[string]int{}
	want["web"] = finish("web", ReleaseComplete)
	finish("web", ReleaseFailed) // newer, not deployed
	want["web-x"] = finish("web-x", ReleaseComplete)
	finish("web0", ReleaseFailed)
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != s.Version() || len(snap.Apps) != len(names) {
		t.Fatalf("snapshot version %d (state %d), %d apps", snap.Version, s.Version(), len(snap.Apps))
	}
	for _, a := range snap.Apps {
		got := 0
		if a.Deployed != nil {
			got = a.Deployed.Version
		}
		if got != want[a.App.Name] || len(a.IPs) != 1 {
			t.Errorf("%s: deployed v%d with %d addresses, want v%d and 1", a.App.Name, got, len(a.IPs), want[a.App.Name])
		}
	}
}
