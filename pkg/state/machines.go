package state

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// NewMachine is what CreateMachine needs.
type NewMachine struct {
	App     string
	Group   string
	Region  string
	Image   string
	Version int
	Config  MachineConfig
}

// CreateMachine records a machine and its 6PN address in one transaction. The machine
// starts in state created with no container: the agent creates that next, so a crash in
// between leaves a record the agent can finish or remove, never a stray container.
func (s *Store) CreateMachine(req NewMachine, now time.Time) (Machine, error) {
	var m Machine
	err := s.db.Update(func(tx *bbolt.Tx) error {
		app, err := getApp(tx, req.App)
		if err != nil {
			return err
		}
		m = Machine{ID: newMachineID(), App: app.Name, Group: req.Group, Region: req.Region, Image: req.Image,
			Version: req.Version, Config: req.Config, State: MachineCreated, CreatedAt: now, UpdatedAt: now}
		m.Name = fmt.Sprintf("%s-%s", m.Group, m.ID[:6])
		if m.PrivateIP, err = s.allocate6PN(tx, app, m.ID, now); err != nil {
			return err
		}
		if err := index(tx, bucketMachinesByApp, m.App, m.ID); err != nil {
			return err
		}
		if err := attachMounts(tx, m); err != nil {
			return err
		}
		return put(tx, bucketMachines, m.ID, m)
	})
	return m, err
}

// newMachineID is 14 hex characters, the shape of Fly's machine IDs.
func newMachineID() string {
	var b [7]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Store) allocate6PN(tx *bbolt.Tx, app App, owner string, now time.Time) (netip.Addr, error) {
	org, err := getOrg(tx, app.Org)
	if err != nil {
		return netip.Addr{}, err
	}
	pool := s.machinePool(org)
	addr, err := pool.Allocate(tx, owner, now)
	if err != nil {
		return addr, fmt.Errorf("allocating a machine address in %s: %w", pool.Prefix, err)
	}
	return addr, nil
}

func (s *Store) release6PN(tx *bbolt.Tx, appName string, addr netip.Addr, now time.Time) error {
	app, err := getApp(tx, appName)
	if err != nil {
		return err
	}
	org, err := getOrg(tx, app.Org)
	if err != nil {
		return err
	}
	return s.machinePool(org).Release(tx, addr, now)
}

// Machine returns one machine of an app.
func (s *Store) Machine(app, id string) (Machine, error) {
	var m Machine
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		m, err = getMachine(tx, id)
		if err == nil && app != "" && m.App != app {
			err = machineNotFound(id)
		}
		return err
	})
	return m, err
}

func getMachine(tx *bbolt.Tx, id string) (Machine, error) {
	var m Machine
	ok, err := get(tx, bucketMachines, id, &m)
	if err == nil && !ok {
		err = machineNotFound(id)
	}
	return m, err
}

// Machines lists an app's machines (every app's when app is empty), oldest first. One
// app's are read through its index, without decoding any other app's.
func (s *Store) Machines(app string) ([]Machine, error) {
	var ms []Machine
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		if app == "" {
			err = each(tx, bucketMachines, func(m Machine) error { ms = append(ms, m); return nil })
		} else {
			ms, err = appMachines(tx, app)
		}
		return err
	})
	slices.SortFunc(ms, func(a, b Machine) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return ms, err
}

func appMachines(tx *bbolt.Tx, app string) ([]Machine, error) {
	var ms []Machine
	for _, id := range indexed(tx, bucketMachinesByApp, app) {
		m, err := getMachine(tx, id)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// UpdateMachine applies fn to the stored machine and saves it, in one transaction.
func (s *Store) UpdateMachine(id string, now time.Time, fn func(*Machine) error) (Machine, error) {
	var m Machine
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if m, err = getMachine(tx, id); err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
		m.UpdatedAt = now
		return put(tx, bucketMachines, m.ID, m)
	})
	return m, err
}

// DestroyMachine deletes the record and releases its addresses (the container is gone already).
func (s *Store) DestroyMachine(id string, now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		m, err := getMachine(tx, id)
		if err != nil {
			return err
		}
		return destroyMachine(tx, s, m, now)
	})
}

func destroyMachine(tx *bbolt.Tx, s *Store, m Machine, now time.Time) error {
	if m.Pending != nil {
		if err := s.release6PN(tx, m.App, m.Pending.PrivateIP, now); err != nil {
			return err
		}
	}
	if err := s.release6PN(tx, m.App, m.PrivateIP, now); err != nil {
		return err
	}
	if err := unindex(tx, bucketMachinesByApp, m.App, m.ID); err != nil {
		return err
	}
	if err := detachMounts(tx, m); err != nil {
		return err
	}
	return tx.Bucket(bucketMachines).Delete([]byte(m.ID))
}

func destroyAppMachines(tx *bbolt.Tx, s *Store, app string, now time.Time) error {
	ms, err := appMachines(tx, app)
	for _, m := range ms {
		if err == nil {
			err = destroyMachine(tx, s, m, now)
		}
	}
	return err
}
