package state

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// bucketSecrets holds one bucket per app, keyed by secret name. A record holds the
// sealed value and its digest, never the value (pkg/secrets seals it).
var bucketSecrets = []byte("secrets")

// Secret is one app secret as recorded.
type Secret struct {
	Name   string `json:"name"`
	Sealed []byte `json:"sealed"`
	Digest string `json:"digest"`
	// Staged: set since the app's machines were last made, so they do not have it yet.
	Staged    bool      `json:"staged"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SetSecrets records secrets of an app (replacing those of the same names) and removes
// the secrets named in unset, in one transaction; names not recorded are no error.
func (s *Store) SetSecrets(app string, set []Secret, unset []string, now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, app); err != nil {
			return err
		}
		b, err := appSecrets(tx, app)
		if err != nil {
			return err
		}
		for _, sec := range set {
			sec.UpdatedAt = now
			if err := putJSON(b, sec.Name, sec); err != nil {
				return err
			}
		}
		for _, name := range unset {
			if err := b.Delete([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Secrets lists an app's secrets by name.
func (s *Store) Secrets(app string) ([]Secret, error) {
	var out []Secret
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, app); err != nil {
			return err
		}
		b := tx.Bucket(bucketSecrets)
		if b != nil {
			b = b.Bucket([]byte(app))
		}
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, data []byte) error {
			var sec Secret
			err := jsonUnmarshal(data, &sec)
			out = append(out, sec)
			return err
		})
	})
	return out, err
}

// DeploySecrets marks an app's staged secrets deployed, as its machines are about to be
// made again, and says how many were staged.
func (s *Store) DeploySecrets(app string) (int, error) {
	if staged, err := s.Secrets(app); err != nil || !slices.ContainsFunc(staged, func(sec Secret) bool { return sec.Staged }) {
		return 0, err // nothing to write: a deploy of an app without staged secrets commits nothing here
	}
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := appSecrets(tx, app)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, data []byte) error {
			var sec Secret
			if err := jsonUnmarshal(data, &sec); err != nil || !sec.Staged {
				return err
			}
			sec.Staged = false
			n++
			return putJSON(b, sec.Name, sec)
		})
	})
	return n, err
}

// appSecrets is the app's bucket of secrets, created on first use.
func appSecrets(tx *bbolt.Tx, app string) (*bbolt.Bucket, error) {
	root, err := tx.CreateBucketIfNotExists(bucketSecrets)
	if err != nil {
		return nil, err
	}
	return root.CreateBucketIfNotExists([]byte(app))
}

// deleteSecrets removes an app's secrets with the app.
func deleteSecrets(tx *bbolt.Tx, app string) error {
	root := tx.Bucket(bucketSecrets)
	if root == nil {
		return nil
	}
	if err := root.DeleteBucket([]byte(app)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	return nil
}

func putJSON(b *bbolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// DeployedRelease is the app's newest complete release, nil before its first deploy:
// the release a secrets deploy restarts.
func (s *Store) DeployedRelease(app string) (*Release, error) {
	var rel *Release
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, app); err != nil {
			return err
		}
		var err error
		rel, err = deployedRelease(tx, app)
		return err
	})
	return rel, err
}
