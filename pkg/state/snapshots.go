package state

import (
	"errors"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

var bucketVolumeSnapshots = []byte("volume_snapshots")

// ErrSnapshotNotFound: no snapshot of that ID.
var ErrSnapshotNotFound = errors.New("snapshot not found")

// VolumeSnapshot is a compressed archive of a volume's files under the home's snapshots directory.
type VolumeSnapshot struct {
	ID     string `json:"id"`
	Volume string `json:"volume"`
	App    string `json:"app"`
	// VolumeName and SizeGB describe the volume it was taken of, for a restore.
	VolumeName string    `json:"volume_name"`
	SizeGB     int       `json:"size_gb"`
	Path       string    `json:"path"`
	Size       int64     `json:"size"`   // the archive's bytes
	SHA256     string    `json:"sha256"` // of the archive, checked before a restore
	Scheduled  bool      `json:"scheduled,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewSnapshotID is "vs_" and 16 base36 characters, as Fly's snapshot IDs look.
func NewSnapshotID() string { return "vs_" + base36(16) }

func snapshotNotFound(id string) error { return &notFound{"snapshot", id, ErrSnapshotNotFound} }

// AddVolumeSnapshot records a snapshot of an existing volume.
func (s *Store) AddVolumeSnapshot(snap VolumeSnapshot) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getVolume(tx, snap.App, snap.Volume); err != nil {
			return err
		}
		return put(tx, bucketVolumeSnapshots, snap.ID, snap)
	})
}

// VolumeSnapshot returns one snapshot of an app (of any when app is empty).
func (s *Store) VolumeSnapshot(app, id string) (VolumeSnapshot, error) {
	var snap VolumeSnapshot
	err := s.db.View(func(tx *bbolt.Tx) error {
		ok, err := get(tx, bucketVolumeSnapshots, id, &snap)
		if err == nil && (!ok || app != "" && snap.App != app) {
			err = snapshotNotFound(id)
		}
		return err
	})
	return snap, err
}

// VolumeSnapshots lists a volume's snapshots (every one when volume is empty), oldest first.
// They outlive their volume, as Fly's do, until their retention ends.
func (s *Store) VolumeSnapshots(volume string) ([]VolumeSnapshot, error) {
	var out []VolumeSnapshot
	err := s.db.View(func(tx *bbolt.Tx) error {
		return each(tx, bucketVolumeSnapshots, func(snap VolumeSnapshot) error {
			if volume == "" || snap.Volume == volume {
				out = append(out, snap)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b VolumeSnapshot) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, err
}

// DeleteVolumeSnapshot forgets a snapshot; its file is the caller's to remove.
func (s *Store) DeleteVolumeSnapshot(id string) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketVolumeSnapshots).Delete([]byte(id)) })
}
