package toml

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	goldenfile "github.com/hangarhq/hangar/internal/golden"
)

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) { t.Helper(); goldenfile.Check(t, name, got) }

// configOpts compares configs by their content, not by where they were
// read from.
var configOpts = cmp.Options{cmpopts.IgnoreUnexported(Config{}), cmpopts.EquateNaNs()}

func mustParse(t testing.TB, src string) *Config {
	t.Helper()
	c, err := Parse("fly.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func dur(s string) *Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &Duration{d}
}

func fixtures(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/flyctl/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return files
}
