package state

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

var bucketVolumes = []byte("volumes")

// Volume errors; the wrapping error names the volume.
var (
	// ErrVolumeNotFound: no volume of that ID in the app.
	ErrVolumeNotFound = errors.New("volume not found")
	// ErrVolumeExists: a volume of that ID is already recorded (names may repeat, IDs not).
	ErrVolumeExists = errors.New("volume ID already taken")
	// ErrVolumeAttached: the volume belongs to a machine, which must go first.
	ErrVolumeAttached = errors.New("volume is attached to a machine")
)

// VolumeCreated is the state of a volume ready to be attached, as Fly names it.
const VolumeCreated = "created"

// Volume is a named volume of an app, kept by the engine in a directory of the host.
type Volume struct {
	ID     string `json:"id"`
	App    string `json:"app"`
	Name   string `json:"name"`
	Region string `json:"region"`
	Zone   string `json:"zone"`
	// SizeGB is the size asked for; the engine's local driver does not enforce it.
	SizeGB            int    `json:"size_gb"`
	State             string `json:"state"`
	EngineName        string `json:"engine_name"` // the engine's volume
	AttachedMachine   string `json:"attached_machine,omitempty"`
	SnapshotRetention int    `json:"snapshot_retention"`
	// ScheduledSnapshots: the agent takes a daily snapshot and keeps SnapshotRetention days of them.
	ScheduledSnapshots bool      `json:"scheduled_snapshots"`
	FromSnapshot       string    `json:"from_snapshot,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
}

// Mount is a machine's volume and where its app container sees it.
type Mount struct {
	Volume string `json:"volume"` // the volume's ID
	Path   string `json:"path"`
}

// NewVolumeID is "vol_" and 16 base36 characters, the shape of Fly's volume IDs.
func NewVolumeID() string { return "vol_" + base36(16) }

func base36(n int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	out := make([]byte, n)
	for i := range out {
		d, _ := rand.Int(rand.Reader, big.NewInt(36))
		out[i] = digits[d.Int64()]
	}
	return string(out)
}

func volumeNotFound(id string) error { return &notFound{"volume", id, ErrVolumeNotFound} }

// CreateVolume records v, which carries its ID (ErrVolumeExists if it is taken).
func (s *Store) CreateVolume(v Volume) (Volume, error) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, v.App); err != nil {
			return err
		}
		var old Volume
		if ok, err := get(tx, bucketVolumes, v.ID, &old); err != nil || ok {
			return errors.Join(err, fmt.Errorf("recording volume %s: %w", v.ID, ErrVolumeExists))
		}
		v.State, v.AttachedMachine = VolumeCreated, ""
		return put(tx, bucketVolumes, v.ID, v)
	})
	return v, err
}

// Volume returns one volume of an app (of any app when app is empty).
func (s *Store) Volume(app, id string) (Volume, error) {
	var v Volume
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		v, err = getVolume(tx, app, id)
		return err
	})
	return v, err
}

func getVolume(tx *bbolt.Tx, app, id string) (Volume, error) {
	var v Volume
	ok, err := get(tx, bucketVolumes, id, &v)
	if err == nil && (!ok || app != "" && v.App != app) {
		err = volumeNotFound(id)
	}
	return v, err
}

// Volumes lists an app's volumes (every app's when app is empty), oldest first.
func (s *Store) Volumes(app string) ([]Volume, error) {
	var vs []Volume
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		vs, err = appVolumes(tx, app)
		return err
	})
	return vs, err
}

func appVolumes(tx *bbolt.Tx, app string) ([]Volume, error) {
	var vs []Volume
	err := each(tx, bucketVolumes, func(v Volume) error {
		if app == "" || v.App == app {
			vs = append(vs, v)
		}
		return nil
	})
	slices.SortStableFunc(vs, func(a, b Volume) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return vs, err
}

// UpdateVolume applies fn to the stored volume and saves it, in one transaction.
func (s *Store) UpdateVolume(app, id string, fn func(*Volume) error) (Volume, error) {
	var v Volume
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if v, err = getVolume(tx, app, id); err != nil {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
		return put(tx, bucketVolumes, v.ID, v)
	})
	return v, err
}

// DestroyVolume deletes an unattached volume's record and returns it.
func (s *Store) DestroyVolume(app, id string) (Volume, error) {
	var v Volume
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if v, err = getVolume(tx, app, id); err != nil {
			return err
		}
		if v.AttachedMachine != "" {
			return fmt.Errorf("volume %s is attached to machine %s: destroy the machine first (hangar machine destroy %s --force): %w",
				id, v.AttachedMachine, v.AttachedMachine, ErrVolumeAttached)
		}
		return tx.Bucket(bucketVolumes).Delete([]byte(id))
	})
	return v, err
}

// attachMounts gives machine m the volumes its config mounts, in m's transaction: each
// must be the app's, in m's region and attached to no other machine.
func attachMounts(tx *bbolt.Tx, m Machine) error {
	for _, mt := range m.Config.Mounts {
		v, err := getVolume(tx, m.App, mt.Volume)
		if err != nil {
			return fmt.Errorf("attaching a volume to machine %s: %w", m.ID, err)
		}
		switch {
		case v.AttachedMachine != "" && v.AttachedMachine != m.ID:
			return fmt.Errorf("volume %s is attached to machine %s already: %w", v.ID, v.AttachedMachine, ErrVolumeAttached)
		case v.Region != m.Region:
			return fmt.Errorf("volume %s is in region %s, not the machine's %s", v.ID, v.Region, m.Region)
		}
		v.AttachedMachine = m.ID
		if err := put(tx, bucketVolumes, v.ID, v); err != nil {
			return err
		}
	}
	return nil
}

// detachMounts frees the volumes of a machine that goes, in its transaction.
func detachMounts(tx *bbolt.Tx, m Machine) error {
	for _, mt := range m.Config.Mounts {
		v, err := getVolume(tx, m.App, mt.Volume)
		if errors.Is(err, ErrVolumeNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if v.AttachedMachine == m.ID {
			v.AttachedMachine = ""
			if err := put(tx, bucketVolumes, v.ID, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func destroyAppVolumes(tx *bbolt.Tx, app string) error {
	vs, err := appVolumes(tx, app)
	for _, v := range vs {
		if err == nil {
			err = tx.Bucket(bucketVolumes).Delete([]byte(v.ID))
		}
	}
	return err
}

// checkVolumes: every attachment names a machine of the app that mounts the volume, and
// every mount names a volume attached to its machine.
func checkVolumes(tx *bbolt.Tx) error {
	err := each(tx, bucketVolumes, func(v Volume) error {
		if v.AttachedMachine == "" {
			return nil
		}
		m, err := getMachine(tx, v.AttachedMachine)
		if err != nil || !slices.ContainsFunc(m.Config.Mounts, func(mt Mount) bool { return mt.Volume == v.ID }) {
			return fmt.Errorf("%w: volume %s is attached to machine %s, which does not mount it", ErrInconsistent, v.ID, v.AttachedMachine)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return each(tx, bucketMachines, func(m Machine) error {
		for _, mt := range m.Config.Mounts {
			if v, err := getVolume(tx, m.App, mt.Volume); err != nil || v.AttachedMachine != m.ID {
				return fmt.Errorf("%w: machine %s mounts volume %s, which is not attached to it", ErrInconsistent, m.ID, mt.Volume)
			}
		}
		return nil
	})
}
