package state

import (
	"crypto/rand"
	"encoding/hex"

	"go.etcd.io/bbolt"
)

var (
	bucketMeta      = []byte("meta")
	keyInstallation = []byte("installation")
)

// InstallationID names this state database among others on the same container engine
// (another HANGAR_HOME, another user): the agent labels its containers and networks with
// it and adopts or removes only what carries its own.
func (s *Store) InstallationID() string { return s.installation }

// ensureInstallation reads the ID, creating a random one on first open.
func ensureInstallation(tx *bbolt.Tx) (string, error) {
	b, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return "", err
	}
	if id := b.Get(keyInstallation); id != nil {
		return string(id), nil
	}
	var raw [4]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(raw[:])
	return id, b.Put(keyInstallation, []byte(id))
}
