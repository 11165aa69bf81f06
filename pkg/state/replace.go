package state

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
)

// ErrNoReplacement: CommitReplace or AbortReplace on a machine with nothing pending.
var ErrNoReplacement = errors.New("machine has no pending replacement")

// BeginReplace records the intent to replace a machine's container and gives the
// replacement its own 6PN address, so old and new run side by side until the new one is ready.
func (s *Store) BeginReplace(id string, r Replacement, now time.Time) (Machine, error) {
	var m Machine
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if m, err = getMachine(tx, id); err != nil {
			return err
		}
		app, err := getApp(tx, m.App)
		if err != nil {
			return err
		}
		if r.PrivateIP, err = s.allocate6PN(tx, app, m.ID, now); err != nil {
			return err
		}
		m.Pending, m.UpdatedAt = &r, now
		return put(tx, bucketMachines, m.ID, m)
	})
	return m, err
}

// CommitReplace makes the pending container the machine's own and releases the old
// address. It returns the machine as it is now and as it was, with the containers to retire.
func (s *Store) CommitReplace(id, state string, now time.Time) (Machine, Machine, error) {
	var m, old Machine
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if m, err = getMachine(tx, id); err != nil {
			return err
		}
		if m.Pending == nil {
			return ErrNoReplacement
		}
		if err := s.release6PN(tx, m.App, m.PrivateIP, now); err != nil {
			return err
		}
		p := m.Pending
		old = m
		m.ContainerID, m.SandboxID, m.PrivateIP, m.Version, m.Image, m.Config = p.ContainerID, p.SandboxID, p.PrivateIP, p.Version, p.Image, p.Config
		m.Secrets = p.Secrets
		m.Pending, m.State, m.UpdatedAt, m.ExitCode, m.LastError, m.Cold = nil, state, now, 0, "", false
		return put(tx, bucketMachines, m.ID, m)
	})
	return m, old, err
}

// AbortReplace forgets the pending container and releases its address; the machine
// keeps its old container.
func (s *Store) AbortReplace(id string, now time.Time) (Machine, error) {
	var m Machine
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if m, err = getMachine(tx, id); err != nil {
			return err
		}
		if m.Pending == nil {
			return ErrNoReplacement
		}
		if err := s.release6PN(tx, m.App, m.Pending.PrivateIP, now); err != nil {
			return err
		}
		m.Pending, m.UpdatedAt = nil, now
		return put(tx, bucketMachines, m.ID, m)
	})
	return m, err
}
