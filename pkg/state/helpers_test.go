package state

import (
	"path/filepath"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// openTest opens a store in a temp dir and checks its consistency when the test ends.
func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("state after test: %v", err)
		}
		s.Close()
	})
	return s
}

func mustCreate(t *testing.T, s *Store, name string, private bool) (App, []IP) {
	t.Helper()
	app, ips, err := s.CreateApp(NewApp{Name: name, PrivateV6: private}, t0)
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return app, ips
}
