package state

import (
	"errors"
	"testing"

	"github.com/hangarhq/hangar/ipalloc"
)

func mustMachine(t *testing.T, s *Store, app string) Machine {
	t.Helper()
	m, err := s.CreateMachine(NewMachine{App: app, Group: DefaultGroup, Region: "iad", Image: "img", Version: 1}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCreateMachineGets6PNInOrgSubnet(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	m := mustMachine(t, s, "a")
	org, _ := s.Org(DefaultOrg)
	if !ipalloc.MachineSubnet(org.Prefix).Contains(m.PrivateIP) || len(m.ID) != 14 || m.State != MachineCreated {
		t.Errorf("machine %+v", m)
	}
	other := mustMachine(t, s, "a")
	if other.PrivateIP == m.PrivateIP || other.ID == m.ID {
		t.Errorf("two machines share %v / %v", m.PrivateIP, m.ID)
	}
	if _, err := s.Machine("b", m.ID); !errors.Is(err, ErrMachineNotFound) {
		t.Errorf("machine under another app: %v", err)
	}
}

func TestReplaceCommitAndAbort(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	m := mustMachine(t, s, "a")
	s.UpdateMachine(m.ID, t0, func(m *Machine) error { m.ContainerID, m.State = "c1", MachineStarted; return nil })

	pending, err := s.BeginReplace(m.ID, Replacement{Version: 2, Image: "img2"}, t0)
	if err != nil || pending.Pending.PrivateIP == m.PrivateIP {
		t.Fatalf("begin: %+v %v", pending.Pending, err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("mid-replace: %v", err)
	}
	aborted, err := s.AbortReplace(m.ID, t0)
	if err != nil || aborted.Pending != nil || aborted.ContainerID != "c1" {
		t.Fatalf("abort: %+v %v", aborted, err)
	}

	s.BeginReplace(m.ID, Replacement{Version: 2, Image: "img2"}, t0)
	s.UpdateMachine(m.ID, t0, func(m *Machine) error { m.Pending.ContainerID = "c2"; return nil })
	done, old, err := s.CommitReplace(m.ID, MachineStarted, t0)
	if err != nil || old.ContainerID != "c1" || done.ContainerID != "c2" || done.Version != 2 || done.Image != "img2" || done.PrivateIP == m.PrivateIP {
		t.Fatalf("commit: %+v old=%q %v", done, old.ContainerID, err)
	}
	if _, _, err := s.CommitReplace(m.ID, MachineStarted, t0); !errors.Is(err, ErrNoReplacement) {
		t.Errorf("second commit: %v", err)
	}
}

func TestDestroyAppRemovesMachinesAndReleases(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	m := mustMachine(t, s, "a")
	s.BeginReplace(m.ID, Replacement{Version: 2}, t0)
	if _, err := s.CreateRelease(Release{App: "a", Image: "img"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.DestroyApp("a", t0); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.Machines("a"); len(ms) != 0 {
		t.Errorf("machines left: %v", ms)
	}
	if rs, _ := s.Releases("a"); len(rs) != 0 {
		t.Errorf("releases left: %v", rs)
	}
}

func TestReleasesNumberAndFinish(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", false)
	mustCreate(t, s, "a-b", false) // a name that shares a prefix must not share releases
	for i := 1; i <= 11; i++ {
		r, err := s.CreateRelease(Release{App: "a", Image: "img"}, t0)
		if err != nil || r.Version != i || r.Status != ReleasePending {
			t.Fatalf("release %d: %+v %v", i, r, err)
		}
	}
	if r, _ := s.CreateRelease(Release{App: "a-b"}, t0); r.Version != 1 {
		t.Errorf("a-b starts at v%d", r.Version)
	}
	if err := s.FinishRelease("a", 11, ReleaseComplete, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.AbandonPendingReleases(); n != 11 {
		t.Errorf("abandoned %d pending releases, want 11 (10 of a, 1 of a-b)", n)
	}
	rs, _ := s.Releases("a")
	if len(rs) != 11 || rs[0].Version != 11 || rs[0].Status != ReleaseComplete || rs[1].Status != ReleaseFailed {
		t.Errorf("releases: %+v", rs[:2])
	}
	if app, _ := s.App("a"); app.Status != StatusDeployed {
		t.Errorf("app status %q", app.Status)
	}
}
