package toml

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppendString(t *testing.T) {
	tests := map[string]string{
		"plain":          `'plain'`,
		"":               `''`,
		"it's":           `"it's"`,
		"tab\there":      `"tab\there"`,
		"line\nbreak\r":  `"line\nbreak\r"`,
		"bell\x07\x7f":   `"bell\u0007\u007F"`,
		`quote"back\`:    `'quote"back\'`,
		`it's "quoted"\`: `"it's \"quoted\"\\"`,
		"ünïcode ✓":      `'ünïcode ✓'`,
		"bad\xffbyte'":   `"bad\u00FFbyte'"`,
		"\b\f":           `"\b\f"`,
	}
	for in, want := range tests {
		if got := string(appendString(nil, in)); got != want {
			t.Errorf("appendString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	tests := map[float64]string{
		2: "2.0", 0.2: "0.2", -0.5: "-0.5", 1e21: "1000000000000000000000.0",
		math.Inf(1): "inf", math.Inf(-1): "-inf", math.NaN(): "nan", math.Copysign(0, -1): "-0.0",
	}
	for in, want := range tests {
		if got := string(appendFloat(nil, in)); got != want {
			t.Errorf("appendFloat(%v) = %s, want %s", in, got, want)
		}
	}
}

// TestJSONRoundTrip covers `config show`-style JSON output: durations and
// autostop values survive encoding/json.
func TestJSONRoundTrip(t *testing.T) {
	want := fullReference()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got Config
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, &got, configOpts); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	var d Duration
	if err := json.Unmarshal([]byte(`"5 minutes"`), &d); err == nil {
		t.Error("Duration accepted \"5 minutes\"")
	}
}
