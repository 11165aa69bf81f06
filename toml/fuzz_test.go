package toml

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts
// can be written and read back to the same config, and written again to
// the same bytes.
func FuzzParse(f *testing.F) {
	for _, file := range fixtures(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(unknownKeysSrc))
	f.Add([]byte(positionsSrc))
	for _, src := range edgeCases {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		first, err := Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		first.Validate()
		first.UnknownKeys()
		out, err := first.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed config: %v", err)
		}
		second, err := Parse("written.toml", out)
		if err != nil {
			t.Fatalf("re-parsing Marshal's output: %v\ninput:\n%s\noutput:\n%s", err, data, out)
		}
		if diff := cmp.Diff(first, second, configOpts); diff != "" {
			t.Fatalf("round trip changed the config (-first +second):\n%s\ninput:\n%s\noutput:\n%s", diff, data, out)
		}
		if again, _ := second.Marshal(); !bytes.Equal(out, again) {
			t.Fatalf("second Marshal differs:\n%s", cmp.Diff(string(out), string(again)))
		}
	})
}
