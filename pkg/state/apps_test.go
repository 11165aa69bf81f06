package state

import (
	"errors"
	"testing"

	"github.com/hangarhq/hangar/ipalloc"
)

func TestCreateAppAllocatesFlycastAddressInOrgRange(t *testing.T) {
	s := openTest(t)
	app, ips := mustCreate(t, s, "flycast-demo", true)
	if app.Org != DefaultOrg || !app.Private || app.Status != StatusPending {
		t.Errorf("app = %+v", app)
	}
	org, err := s.Org(DefaultOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(ips) != 1 || !ipalloc.FlycastRange(org.Prefix).Contains(ips[0].Addr) {
		t.Fatalf("ips = %+v, want one address in %s", ips, ipalloc.FlycastRange(org.Prefix))
	}
	if ips[0].Type != IPTypePrivateV6 || ips[0].Region != RegionGlobal {
		t.Errorf("ip = %+v", ips[0])
	}
}

func TestCreateAppTwiceFailsAndKeepsFirst(t *testing.T) {
	s := openTest(t)
	_, first := mustCreate(t, s, "a", true)
	_, _, err := s.CreateApp(NewApp{Name: "a", PrivateV6: true}, t0)
	if !errors.Is(err, ErrAppExists) {
		t.Fatalf("second create: %v, want ErrAppExists", err)
	}
	ips, err := s.IPs("a")
	if err != nil || len(ips) != 1 || ips[0].Addr != first[0].Addr {
		t.Errorf("ips after failed create = %v, %v; want only %v", ips, err, first[0].Addr)
	}
}

func TestAppsOfDifferentOrgsGetDifferentPrefixes(t *testing.T) {
	s := openTest(t)
	_, a, _ := s.CreateApp(NewApp{Name: "a", Org: "one", PrivateV6: true}, t0)
	_, b, _ := s.CreateApp(NewApp{Name: "b", Org: "two", PrivateV6: true}, t0)
	if ipalloc.OrgOf(a[0].Addr) == ipalloc.OrgOf(b[0].Addr) {
		t.Errorf("orgs share a prefix: %v and %v", a[0].Addr, b[0].Addr)
	}
	orgs, _ := s.Orgs()
	if len(orgs) != 2 {
		t.Errorf("orgs = %v, want two", orgs)
	}
}

func TestDestroyAppReleasesAddresses(t *testing.T) {
	s := openTest(t)
	_, ips := mustCreate(t, s, "a", true)
	if _, err := s.AllocatePrivateV6("a", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.DestroyApp("a", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App("a"); !errors.Is(err, ErrAppNotFound) {
		t.Errorf("App after destroy: %v", err)
	}
	// The released address stays out of circulation: a new app gets another one.
	_, again := mustCreate(t, s, "b", true)
	if again[0].Addr == ips[0].Addr {
		t.Errorf("address %v reused within the grace period", again[0].Addr)
	}
}

func TestReleaseIPOfAnotherAppFails(t *testing.T) {
	s := openTest(t)
	_, ips := mustCreate(t, s, "a", true)
	mustCreate(t, s, "b", false)
	if err := s.ReleaseIP("b", ips[0].Addr, t0); !errors.Is(err, ErrIPNotFound) {
		t.Errorf("release from wrong app: %v, want ErrIPNotFound", err)
	}
	if err := s.ReleaseIP("a", ips[0].Addr, t0); err != nil {
		t.Errorf("release: %v", err)
	}
	if got, _ := s.IPs("a"); len(got) != 0 {
		t.Errorf("ips after release = %v", got)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir+"/state.db", Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(dir+"/state.db", Options{NoSync: true}); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
}

func TestInstallationIDIsStableAcrossOpens(t *testing.T) {
	path := t.TempDir() + "/state.db"
	s, _ := Open(path, Options{NoSync: true})
	id := s.InstallationID()
	s.Close()
	s2, _ := Open(path, Options{NoSync: true})
	defer s2.Close()
	other, _ := Open(t.TempDir()+"/state.db", Options{NoSync: true})
	defer other.Close()
	if len(id) != 8 || s2.InstallationID() != id || other.InstallationID() == id {
		t.Errorf("ids %q, %q, other %q", id, s2.InstallationID(), other.InstallationID())
	}
}
