// Package secrets seals app secrets with a key kept beside the state, so the state file alone never holds a value.
package secrets

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"

	"golang.org/x/crypto/nacl/secretbox"
)

// KeyFile is the key's file name in the agent's home.
const KeyFile = "secrets.key"

// MaxValue is the longest value, as flyctl reads at most 64 KiB from stdin.
const MaxValue = 64 << 10

var (
	// ErrTampered: a sealed value does not open with this key (changed, or sealed by another key).
	ErrTampered = errors.New("sealed secret does not open with this key")
	// ErrBadKey: the key file is not 32 bytes.
	ErrBadKey = errors.New("secrets key file must hold exactly 32 bytes")
)

// nameRule is flyctl's rule for environment variable names.
var nameRule = regexp.MustCompile(`^[a-zA-Z_][-a-zA-Z0-9_]*$`)

// CheckName says why name cannot be a secret's name, with the fix.
func CheckName(name string) error {
	if !nameRule.MatchString(name) {
		return fmt.Errorf("invalid secret name %q: use letters, digits, '_' and '-', not starting with a digit or '-'", name)
	}
	return nil
}

// Key seals and opens values and computes their digests.
type Key struct {
	seal   [32]byte
	digest []byte // a key of its own, derived from seal, so digests reveal nothing about it
}

// LoadKey reads the key at path, creating it (32 random bytes, mode 0600) when there is none.
func LoadKey(path string) (*Key, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw, err = createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the secrets key %s: %w", path, err)
	}
	if len(raw) != 32 {
		return nil, fmt.Errorf("reading the secrets key %s: %w (it has %d)", path, ErrBadKey, len(raw))
	}
	return NewKey([32]byte(raw)), nil
}

// createKey writes a new key; when another process wrote one first, that one is read.
func createKey(path string) ([]byte, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	_, err = f.Write(raw)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return raw, nil
}

// NewKey uses raw as the sealing key.
func NewKey(raw [32]byte) *Key {
	mac := hmac.New(sha256.New, raw[:])
	mac.Write([]byte("hangar secret digest"))
	return &Key{seal: raw, digest: mac.Sum(nil)}
}

// Seal encrypts value for the secret name of app: a random nonce, then the box. The
// box also holds the app and name, so a sealed value copied to another secret does not open.
func (k *Key) Seal(app, name, value string) ([]byte, error) {
	var nonce [24]byte
	if _, err := io.ReadFull(rand.Reader, nonce[:]); err != nil {
		return nil, fmt.Errorf("sealing secret %s: %w", name, err)
	}
	return secretbox.Seal(nonce[:], label(app, name, value), &nonce, &k.seal), nil
}

// Open decrypts what Seal made for the same app and name.
func (k *Key) Open(app, name string, sealed []byte) (string, error) {
	if len(sealed) < 24+secretbox.Overhead {
		return "", fmt.Errorf("opening secret %s of %s: %w", name, app, ErrTampered)
	}
	nonce := [24]byte(sealed[:24])
	plain, ok := secretbox.Open(nil, sealed[24:], &nonce, &k.seal)
	prefix := label(app, name, "")
	if !ok || !bytes.HasPrefix(plain, prefix) {
		return "", fmt.Errorf("opening secret %s of %s: %w", name, app, ErrTampered)
	}
	return string(plain[len(prefix):]), nil
}

func label(app, name, value string) []byte {
	return []byte(app + "\x00" + name + "\x00" + value)
}

// Digest is 16 hex digits of a keyed hash of the name and value, as flyctl's digests
// look: it changes with the value, and without the key a guess of a value cannot be checked against it.
func (k *Key) Digest(name, value string) string {
	mac := hmac.New(sha256.New, k.digest)
	mac.Write([]byte(name + "\x00" + value))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}
