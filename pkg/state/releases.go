package state

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

func releaseKey(app string, version int) string { return fmt.Sprintf("%s/%010d", app, version) }

// CreateRelease records a new pending release with the next version number.
func (s *Store) CreateRelease(r Release, now time.Time) (Release, error) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, r.App); err != nil {
			return err
		}
		r.Version, r.Status, r.CreatedAt = lastVersion(tx, r.App)+1, ReleasePending, now
		return put(tx, bucketReleases, releaseKey(r.App, r.Version), r)
	})
	return r, err
}

// lastVersion is the newest release's version, 0 without any.
func lastVersion(tx *bbolt.Tx, app string) int {
	c := tx.Bucket(bucketReleases).Cursor()
	c.Seek([]byte(releaseKey(app, 1<<31)))
	k, _ := c.Prev()
	if k == nil || !strings.HasPrefix(string(k), app+"/") {
		return 0
	}
	var v int
	fmt.Sscanf(strings.TrimPrefix(string(k), app+"/"), "%d", &v)
	return v
}

// FinishRelease sets a release's final status; a complete release marks the app deployed.
func (s *Store) FinishRelease(app string, version int, status, reason string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		var r Release
		key := releaseKey(app, version)
		if ok, err := get(tx, bucketReleases, key, &r); !ok || err != nil {
			return fmt.Errorf("release v%d of %s: %w", version, app, errOr(err, ErrAppNotFound))
		}
		r.Status, r.Reason = status, reason
		if err := put(tx, bucketReleases, key, r); err != nil {
			return err
		}
		if status != ReleaseComplete {
			return nil
		}
		a, err := getApp(tx, app)
		if err != nil {
			return err
		}
		a.Status = StatusDeployed
		return put(tx, bucketApps, a.Name, a)
	})
}

func errOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// Releases lists an app's releases, newest first.
func (s *Store) Releases(app string) ([]Release, error) {
	var rs []Release
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketReleases).Cursor()
		prefix := []byte(app + "/")
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
			var r Release
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			rs = append(rs, r)
		}
		return nil
	})
	slices.Reverse(rs)
	return rs, err
}

// AbandonPendingReleases marks releases a crash interrupted as failed; the agent calls it on start.
func (s *Store) AbandonPendingReleases() (int, error) {
	var pending []Release
	err := s.db.Update(func(tx *bbolt.Tx) error {
		pending = nil
		err := each(tx, bucketReleases, func(r Release) error {
			if r.Status == ReleasePending {
				pending = append(pending, r)
			}
			return nil
		})
		for _, r := range pending { // bbolt forbids writes inside ForEach
			r.Status, r.Reason = ReleaseFailed, "interrupted: the agent stopped during the deploy"
			if err == nil {
				err = put(tx, bucketReleases, releaseKey(r.App, r.Version), r)
			}
		}
		return err
	})
	return len(pending), err
}

// deleteReleases removes every release of an app.
func deleteReleases(tx *bbolt.Tx, app string) error {
	var keys [][]byte
	c := tx.Bucket(bucketReleases).Cursor()
	prefix := []byte(app + "/")
	for k, _ := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := tx.Bucket(bucketReleases).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
