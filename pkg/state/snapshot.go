package state

import (
	"bytes"
	"slices"

	"go.etcd.io/bbolt"
)

// Snapshot is the state as one read transaction saw it: what the Flycast plane
// rebuilds its index from after every change, consistent and in one pass.
type Snapshot struct {
	Version uint64 // Version() of this state
	Orgs    []Org
	Apps    []AppSnapshot
}

// AppSnapshot is one app with what the plane needs of it.
type AppSnapshot struct {
	App      App
	IPs      []IP
	Machines []Machine // oldest first
	// Deployed is the app's newest complete release, nil before its first deploy.
	Deployed *Release
}

// Snapshot reads every organization and app, with each app's addresses, machines and
// deployed release, in one transaction. Only the releases from the newest back to the
// deployed one are decoded.
func (s *Store) Snapshot() (Snapshot, error) {
	var snap Snapshot
	err := s.db.View(func(tx *bbolt.Tx) error {
		snap.Version = uint64(tx.ID())
		if err := each(tx, bucketOrgs, func(o Org) error { snap.Orgs = append(snap.Orgs, o); return nil }); err != nil {
			return err
		}
		return each(tx, bucketApps, func(a App) error {
			as, err := appSnapshot(tx, a)
			snap.Apps = append(snap.Apps, as)
			return err
		})
	})
	return snap, err
}

func appSnapshot(tx *bbolt.Tx, a App) (AppSnapshot, error) {
	as := AppSnapshot{App: a}
	var err error
	if as.IPs, err = appIPs(tx, a.Name); err != nil {
		return as, err
	}
	if as.Machines, err = appMachines(tx, a.Name); err != nil {
		return as, err
	}
	slices.SortFunc(as.Machines, func(x, y Machine) int { return x.CreatedAt.Compare(y.CreatedAt) })
	as.Deployed, err = deployedRelease(tx, a.Name)
	return as, err
}

// deployedRelease walks the app's releases from the newest back to the first complete
// one. Its keys are "<app>/<version>", and '/' sorts just before '0': the last key
// before "<app>0" is the app's newest release.
func deployedRelease(tx *bbolt.Tx, app string) (*Release, error) {
	prefix := []byte(app + "/")
	c := tx.Bucket(bucketReleases).Cursor()
	k, v := c.Seek([]byte(app + "0"))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		var r Release
		if err := jsonUnmarshal(v, &r); err != nil {
			return nil, err
		}
		if r.Status == ReleaseComplete {
			return &r, nil
		}
	}
	return nil, nil
}
