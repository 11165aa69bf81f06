package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKey(t *testing.T) *Key {
	t.Helper()
	k, err := LoadKey(filepath.Join(t.TempDir(), KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpensOnlyForItsAppAndName(t *testing.T) {
	k := testKey(t)
	sealed, err := k.Seal("web", "DB_PASSWORD", "hunter2")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "hunter2") {
		t.Fatal("the sealed value contains the plain value")
	}
	if got, err := k.Open("web", "DB_PASSWORD", sealed); err != nil || got != "hunter2" {
		t.Fatalf("Open = %q, %v; want hunter2", got, err)
	}
	for _, tc := range []struct{ name, app, secret string }{
		{"other name", "web", "API_KEY"},
		{"other app", "api", "DB_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := k.Open(tc.app, tc.secret, sealed); !errors.Is(err, ErrTampered) {
				t.Fatalf("Open = %v, want ErrTampered", err)
			}
		})
	}
}

func TestOpenRejectsTamperedCiphertext(t *testing.T) {
	k := testKey(t)
	sealed, _ := k.Seal("web", "A", "value")
	for i := range sealed {
		bad := append([]byte(nil), sealed...)
		bad[i] ^= 1
		if _, err := k.Open("web", "A", bad); !errors.Is(err, ErrTampered) {
			t.Fatalf("byte %d flipped: Open = %v, want ErrTampered", i, err)
		}
	}
	if _, err := k.Open("web", "A", sealed[:10]); !errors.Is(err, ErrTampered) {
		t.Fatalf("truncated: Open = %v, want ErrTampered", err)
	}
	if _, err := testKey(t).Open("web", "A", sealed); !errors.Is(err, ErrTampered) {
		t.Fatalf("another key: Open = %v, want ErrTampered", err)
	}
}

func TestSealIsRandomized(t *testing.T) {
	k := testKey(t)
	a, _ := k.Seal("web", "A", "same")
	b, _ := k.Seal("web", "A", "same")
	if string(a) == string(b) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
}

func TestDigestIsStableAndKeyed(t *testing.T) {
	k := NewKey([32]byte{1})
	d := k.Digest("A", "value")
	if len(d) != 16 || d != k.Digest("A", "value") || d != NewKey([32]byte{1}).Digest("A", "value") {
		t.Fatalf("digest %q is not 16 stable hex digits", d)
	}
	for name, other := range map[string]string{
		"value": k.Digest("A", "value2"), "name": k.Digest("B", "value"), "key": NewKey([32]byte{2}).Digest("A", "value"),
	} {
		if other == d {
			t.Errorf("digest does not change with the %s", name)
		}
	}
}

func TestLoadKeyCreatesA0600KeyOnceAndKeepsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFile)
	k1, err := LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != 32 {
		t.Fatalf("key file: %v, %v", st, err)
	}
	k2, err := LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := k1.Seal("a", "B", "c")
	if v, err := k2.Open("a", "B", sealed); err != nil || v != "c" {
		t.Fatalf("the reloaded key does not open: %q, %v", v, err)
	}
	os.WriteFile(path, []byte("short"), 0o600)
	if _, err := LoadKey(path); !errors.Is(err, ErrBadKey) {
		t.Fatalf("short key: %v, want ErrBadKey", err)
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{
		"DB_URL": true, "_x": true, "a1": true, "with-dash": true,
		"1ABC": false, "": false, "A B": false, "A=B": false, "-x": false, "é": false,
	} {
		if err := CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
