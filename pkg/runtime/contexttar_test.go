package runtime

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContextTar(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "Dockerfile"), "FROM scratch\n", 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "bin", "busybox"), "elf", 0o755)
	if err := os.Symlink("busybox", filepath.Join(dir, "bin", "sh")); err != nil {
		t.Fatal(err)
	}

	got := readTar(t, ContextTar(dir))
	want := map[string]string{
		"Dockerfile":  "file 644 FROM scratch\n",
		"bin":         "dir 755 ",
		"bin/busybox": "file 755 elf",
		"bin/sh":      "link busybox",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tar entries (-want +got):\n%s", diff)
	}
}

func TestContextTarMissingDir(t *testing.T) {
	r := ContextTar(filepath.Join(t.TempDir(), "nope"))
	defer r.Close()
	if _, err := io.ReadAll(r); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading tar of a missing dir: got %v, want not-exist error", err)
	}
}

func readTar(t *testing.T, r io.ReadCloser) map[string]string {
	t.Helper()
	defer r.Close()
	got := map[string]string{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got[hdr.Name] = describe(t, hdr, tr)
	}
}

func describe(t *testing.T, hdr *tar.Header, r io.Reader) string {
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	perm := hdr.FileInfo().Mode().Perm()
	switch hdr.Typeflag {
	case tar.TypeSymlink:
		return "link " + hdr.Linkname
	case tar.TypeDir:
		return "dir " + octal(perm) + " "
	default:
		return "file " + octal(perm) + " " + string(body)
	}
}

func octal(m os.FileMode) string { return strconv.FormatUint(uint64(m), 8) }

func mustWrite(t *testing.T, path, body string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
