package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var (
	bucketOrgs = []byte("orgs")
	bucketApps = []byte("apps")
	bucketIPs  = []byte("ips")
	// machines are keyed by ID; releases by "<app>/<version, 10 digits>" so a prefix scan lists an app's in order.
	bucketMachines = []byte("machines")
	bucketReleases = []byte("releases")
)

// Store is the state database. All methods are safe for concurrent use.
type Store struct {
	db feedDB
	// Grace keeps released addresses out of circulation.
	Grace time.Duration

	installation string
}

// Options tune Open; the zero value is what the agent uses.
type Options struct {
	NoSync bool          // tests only
	Grace  time.Duration // zero: ipalloc.DefaultGrace
	// LockTimeout is how long Open waits for another process to close the database
	// (zero: 1 s); a restarted agent waits for the one it replaces.
	LockTimeout time.Duration
}

// Open opens (creating if needed) the database at path. A database held by another process fails fast with ErrLocked.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	s := &Store{db: feedDB{DB: db, feed: newFeed()}, Grace: opts.Grace}
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := createBuckets(tx); err != nil {
			return err
		}
		if s.installation, err = ensureInstallation(tx); err != nil {
			return err
		}
		return migrate(tx)
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising %s: %w", path, err)
	}
	return s, nil
}

func createBuckets(tx *bbolt.Tx) error {
	for _, b := range [][]byte{bucketOrgs, bucketApps, bucketIPs, bucketMachines, bucketReleases, bucketMachinesByApp, bucketIPsByApp, bucketVolumes, bucketVolumeSnapshots} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the database file.
func (s *Store) Close() error { return s.db.Close() }

func put(tx *bbolt.Tx, bucket []byte, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(key), data)
}

// get decodes the record at key into v and reports whether it existed.
func get(tx *bbolt.Tx, bucket []byte, key string, v any) (bool, error) {
	data := tx.Bucket(bucket).Get([]byte(key))
	if data == nil {
		return false, nil
	}
	return true, json.Unmarshal(data, v)
}

// each decodes every record of a bucket in key order.
func each[T any](tx *bbolt.Tx, bucket []byte, fn func(T) error) error {
	return tx.Bucket(bucket).ForEach(func(_, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		return fn(v)
	})
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// Version changes with every committed change: the ID of the last write transaction.
func (s *Store) Version() uint64 {
	var v uint64
	s.db.View(func(tx *bbolt.Tx) error { v = uint64(tx.ID()); return nil })
	return v
}
