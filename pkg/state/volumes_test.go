package state

import (
	"errors"
	"regexp"
	"testing"
)

func mustVolume(t *testing.T, s *Store, app, name, region string) Volume {
	t.Helper()
	v, err := s.CreateVolume(Volume{ID: NewVolumeID(), App: app, Name: name, Region: region, SizeGB: 1, CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func machineWith(s *Store, app, vol string) (Machine, error) {
	return s.CreateMachine(NewMachine{App: app, Group: DefaultGroup, Region: "iad", Image: "img", Version: 1,
		Config: MachineConfig{Mounts: []Mount{{Volume: vol, Path: "/data"}}}}, t0)
}

func TestVolumeIDsLookLikeFlys(t *testing.T) {
	if id := NewVolumeID(); !regexp.MustCompile(`^vol_[0-9a-z]{16}$`).MatchString(id) {
		t.Errorf("volume ID %q", id)
	}
}

func TestVolumeAttachesToOneMachineAndComesBackOnDestroy(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	v := mustVolume(t, s, "a", "data", "iad")
	m, err := machineWith(s, "a", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Volume("a", v.ID); got.AttachedMachine != m.ID {
		t.Errorf("attached to %q, want %s", got.AttachedMachine, m.ID)
	}
	// A second machine on the same volume fails, and leaves no record of itself.
	if _, err := machineWith(s, "a", v.ID); !errors.Is(err, ErrVolumeAttached) {
		t.Errorf("second machine on one volume: %v", err)
	}
	if ms, _ := s.Machines("a"); len(ms) != 1 {
		t.Errorf("%d machines after the refused one, want 1", len(ms))
	}
	if _, err := s.DestroyVolume("a", v.ID); !errors.Is(err, ErrVolumeAttached) {
		t.Errorf("destroying an attached volume: %v", err)
	}
	if err := s.DestroyMachine(m.ID, t0); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Volume("a", v.ID); got.AttachedMachine != "" {
		t.Errorf("still attached to %q after its machine went", got.AttachedMachine)
	}
	if _, err := s.DestroyVolume("a", v.ID); err != nil {
		t.Errorf("destroying a free volume: %v", err)
	}
}

func TestVolumeRules(t *testing.T) {
	s := openTest(t)
	mustCreate(t, s, "a", true)
	mustCreate(t, s, "b", true)
	v := mustVolume(t, s, "a", "data", "iad")
	other := mustVolume(t, s, "a", "data", "ams") // names repeat, as on Fly
	if _, err := s.CreateVolume(Volume{ID: v.ID, App: "a", Name: "x", Region: "iad"}); !errors.Is(err, ErrVolumeExists) {
		t.Errorf("a taken ID: %v", err)
	}
	if _, err := machineWith(s, "b", v.ID); !errors.Is(err, ErrVolumeNotFound) {
		t.Errorf("another app's volume: %v", err)
	}
	if _, err := machineWith(s, "a", other.ID); err == nil {
		t.Error("a volume of another region was attached")
	}
	if err := s.DestroyApp("a", t0); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Volumes(""); len(vs) != 0 {
		t.Errorf("volumes left after the app: %+v", vs)
	}
}
