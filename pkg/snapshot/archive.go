// Package snapshot writes a volume's files as a verified tar+gzip archive, restores one, and plans the daily snapshots.
package snapshot

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrCorrupt means an archive's bytes are not those recorded when it was taken.
var ErrCorrupt = errors.New("snapshot archive is corrupt")

// Write archives the tree at dir into the file dst (written aside, then renamed) and
// returns its size and sha256.
func Write(dir, dst string) (size int64, sum string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".snapshot-*")
	if err != nil {
		return 0, "", fmt.Errorf("creating the snapshot file: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	counter := &countingWriter{w: io.MultiWriter(tmp, h)}
	if err := writeTar(dir, counter); err != nil {
		tmp.Close()
		return 0, "", err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return 0, "", fmt.Errorf("writing the snapshot file: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return 0, "", err
	}
	return counter.n, hex.EncodeToString(h.Sum(nil)), nil
}

func writeTar(dir string, w io.Writer) error {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		return addEntry(tw, dir, path, d)
	})
	if err != nil {
		return fmt.Errorf("archiving %s: %w", dir, err)
	}
	return errors.Join(tw.Close(), gz.Close())
}

func addEntry(tw *tar.Writer, dir, path string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	link := ""
	if info.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(path); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	hdr.Name, _ = filepath.Rel(dir, path)
	if err := tw.WriteHeader(hdr); err != nil || !info.Mode().IsRegular() {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Verify checks the archive's sha256 against the one recorded at creation.
func Verify(archive, sum string) error {
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("opening the snapshot: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("reading the snapshot: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("%s has sha256 %.12s…, not the %.12s… recorded when it was taken: %w", archive, got, sum, ErrCorrupt)
	}
	return nil
}

// Restore verifies the archive, then extracts it into dir (an empty volume).
func Restore(archive, sum, dir string) error {
	if err := Verify(archive, sum); err != nil {
		return err
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", archive, ErrCorrupt)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", archive, err)
		}
		if err := extract(tr, hdr, dir); err != nil {
			return err
		}
	}
}

func extract(r io.Reader, hdr *tar.Header, dir string) error {
	target := filepath.Join(dir, hdr.Name)
	if !strings.HasPrefix(target, filepath.Clean(dir)+string(os.PathSeparator)) {
		return fmt.Errorf("snapshot entry %q points outside the volume: %w", hdr.Name, ErrCorrupt)
	}
	mode := hdr.FileInfo().Mode()
	var err error
	switch hdr.Typeflag {
	case tar.TypeDir:
		err = os.MkdirAll(target, mode.Perm())
	case tar.TypeSymlink:
		err = os.Symlink(hdr.Linkname, target)
	case tar.TypeReg:
		err = writeFile(target, r, mode.Perm())
	default:
		return nil // devices, fifos: not what a volume keeps
	}
	if err == nil {
		err = os.Lchown(target, hdr.Uid, hdr.Gid)
	}
	return err
}

func writeFile(path string, r io.Reader, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	return errors.Join(err, f.Close())
}
