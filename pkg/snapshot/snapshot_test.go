package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWriteRestoreRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	os.WriteFile(filepath.Join(src, "sub", "k"), []byte("v"), 0o640)
	os.Symlink("sub/k", filepath.Join(src, "link"))
	archive := filepath.Join(t.TempDir(), "s.tar.gz")
	size, sum, err := Write(src, archive)
	if err != nil || size == 0 || len(sum) != 64 {
		t.Fatalf("Write = %d, %q, %v", size, sum, err)
	}
	if err := Restore(archive, sum, dst); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dst, "link")); err != nil || string(got) != "v" {
		t.Errorf("restored link reads %q, %v", got, err)
	}
}

func TestRestoreRejectsACorruptedArchive(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(src, "k"), []byte("value"), 0o644)
	archive := filepath.Join(t.TempDir(), "s.tar.gz")
	_, sum, err := Write(src, archive)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(archive)
	data[len(data)/2] ^= 0xff
	os.WriteFile(archive, data, 0o600)
	if err := Restore(archive, sum, dst); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Restore of a corrupted archive = %v, want ErrCorrupt", err)
	}
	if entries, _ := os.ReadDir(dst); len(entries) != 0 {
		t.Errorf("a corrupted archive was partly extracted: %v", entries)
	}
}

func TestPlanWithAFakeClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	vols := []Volume{{ID: "v1", Scheduled: true, RetentionDays: 2, CreatedAt: t0}, {ID: "off", RetentionDays: 5, CreatedAt: t0}}
	var snaps []Taken
	now := t0
	for day := range 5 { // the scheduler runs every hour for five days
		for range 24 {
			take, expire := Plan(now, vols, snaps, 5)
			for _, id := range take {
				snaps = append(snaps, Taken{ID: now.Format(time.RFC3339), Volume: id, Scheduled: true, CreatedAt: now})
			}
			snaps = slices.DeleteFunc(snaps, func(s Taken) bool { return slices.Contains(expire, s.ID) })
			now = now.Add(time.Hour)
		}
		if want := min(day, 2); len(snaps) != want { // the first is due a day after the volume
			t.Errorf("after day %d: %d snapshots kept, want %d (one a day, two days kept)", day+1, len(snaps), want)
		}
	}
	for _, s := range snaps {
		if s.Volume != "v1" {
			t.Errorf("snapshot of a volume without scheduled snapshots: %+v", s)
		}
	}
}
