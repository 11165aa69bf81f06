package hostnames

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzHostsBlocks checks that for any hosts file, Publish adds exactly its own block and Remove
// then leaves everything else as it was, byte for byte but for a last line given its newline.
func FuzzHostsBlocks(f *testing.F) {
	for _, seed := range []string{
		"", userLines, "127.0.0.1 localhost", userLines + blockA + blockB, blockB + "x",
		demoBlock, "# BEGIN hangar a1\n", "# BEGIN hangar a1\nfdaa::2\tdemo.fly", "# END hangar a1\n# BEGIN hangar a1",
		"# BEGIN hangar b2\nfdaa::2 x.flycast\n# BEGIN hangar a1\n# END hangar b2\n", "\r\n\n\x00\xff",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		path, lockPath := filepath.Join(dir, "hosts"), filepath.Join(dir, "hosts.lock")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		others := parse(content).withBlock("a1", "").String()
		h, err := NewHostsFile(path, "a1", lockPath, "/home/u/.hangar")
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Publish(demo); err != nil {
			t.Fatal(err)
		}
		checkOneBlock(t, readFile(t, path), others)
		if err := h.Remove(); err != nil {
			t.Fatal(err)
		}
		got := readFile(t, path)
		lastLineEnded := others != "" && !strings.HasSuffix(others, "\n") && got == others+"\n"
		if got != others && !lastLineEnded {
			t.Errorf("after Publish and Remove of %q:\n got %q\nwant %q", content, got, others)
		}
	})
}

// checkOneBlock fails unless published holds demoBlock once and, around it, exactly others.
func checkOneBlock(t *testing.T, published, others string) {
	t.Helper()
	var mine int
	var rest strings.Builder
	for _, p := range parse(published) {
		if p.id == "a1" {
			mine++
			if p.text != demoBlock {
				t.Errorf("block %q, want %q", p.text, demoBlock)
			}
			continue
		}
		rest.WriteString(p.text)
	}
	if mine != 1 {
		t.Errorf("%d blocks of a1 in %q", mine, published)
	}
	if r := strings.TrimSuffix(rest.String(), "\n"); r != strings.TrimSuffix(others, "\n") {
		t.Errorf("around the block: %q, want %q", rest.String(), others)
	}
}
