package state

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// NewApp is what CreateApp needs.
type NewApp struct {
	Name string
	Org  string // empty: DefaultOrg
	// PrivateV6 allocates one Flycast address in the same transaction as the app.
	PrivateV6 bool
}

// CreateApp records an app (creating its organization on first use) and, when asked, its Flycast address, all or nothing.
func (s *Store) CreateApp(req NewApp, now time.Time) (App, []IP, error) {
	var app App
	var ips []IP
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		app, ips, err = createApp(tx, s, req, now)
		return err
	})
	return app, ips, err
}

func createApp(tx *bbolt.Tx, s *Store, req NewApp, now time.Time) (App, []IP, error) {
	if req.Org == "" {
		req.Org = DefaultOrg
	}
	var existing App
	if ok, err := get(tx, bucketApps, req.Name, &existing); ok || err != nil {
		return existing, nil, fmt.Errorf("app %s %w", req.Name, ErrAppExists)
	}
	org, err := ensureOrg(tx, req.Org, now)
	if err != nil {
		return App{}, nil, err
	}
	app := App{Name: req.Name, Org: org.Slug, Network: "default", Private: req.PrivateV6, Status: StatusPending, CreatedAt: now}
	if err := put(tx, bucketApps, app.Name, app); err != nil {
		return app, nil, err
	}
	if !req.PrivateV6 {
		return app, nil, nil
	}
	ip, err := allocatePrivateV6(tx, s, app, org, now)
	return app, []IP{ip}, err
}

// App returns one app.
func (s *Store) App(name string) (App, error) {
	var app App
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		app, err = getApp(tx, name)
		return err
	})
	return app, err
}

func getApp(tx *bbolt.Tx, name string) (App, error) {
	var app App
	ok, err := get(tx, bucketApps, name, &app)
	if err == nil && !ok {
		err = appNotFound(name)
	}
	return app, err
}

// Apps lists apps by name; an empty org means every organization.
func (s *Store) Apps(org string) ([]App, error) {
	var apps []App
	err := s.db.View(func(tx *bbolt.Tx) error {
		return each(tx, bucketApps, func(a App) error {
			if org == "" || a.Org == org {
				apps = append(apps, a)
			}
			return nil
		})
	})
	return apps, err
}

// DestroyApp removes an app, its machine records and releases, and releases its
// addresses, in one transaction. The agent removes the containers first.
func (s *Store) DestroyApp(name string, now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		app, err := getApp(tx, name)
		if err != nil {
			return err
		}
		ips, err := appIPs(tx, name)
		if err != nil {
			return err
		}
		for _, ip := range ips {
			if err := releaseIP(tx, s, app, ip, now); err != nil {
				return err
			}
		}
		if err := destroyAppMachines(tx, s, name, now); err != nil {
			return err
		}
		if err := destroyAppVolumes(tx, name); err != nil {
			return err
		}
		if err := deleteReleases(tx, name); err != nil {
			return err
		}
		if err := deleteSecrets(tx, name); err != nil {
			return err
		}
		return tx.Bucket(bucketApps).Delete([]byte(name))
	})
}
