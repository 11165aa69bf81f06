package toml

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	gotoml "github.com/pelletier/go-toml/v2"
)

// TestRoundTripFixtures writes every fixture in flyctl's layout (kept as a
// golden file) and checks that reading it back gives the same config and
// that writing that gives the same bytes.
func TestRoundTripFixtures(t *testing.T) {
	for _, file := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		if name == "always-invalid-v2" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			first, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			out := mustMarshal(t, first)
			golden(t, filepath.Join("marshal", name+".toml"), out)
			assertRoundTrip(t, first, out)
		})
	}
}

func mustMarshal(t testing.TB, c *Config) []byte {
	t.Helper()
	out, err := c.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return out
}

func assertRoundTrip(t *testing.T, first *Config, out []byte) {
	t.Helper()
	second, err := Parse("written.toml", out)
	if err != nil {
		t.Fatalf("re-parsing the written config: %v\n%s", err, out)
	}
	if diff := cmp.Diff(first, second, configOpts); diff != "" {
		t.Errorf("config changed over a round trip (-first +second):\n%s", diff)
	}
	if again := mustMarshal(t, second); !bytes.Equal(out, again) {
		t.Errorf("second Marshal differs:\n%s", cmp.Diff(string(out), string(again)))
	}
}

// TestMarshalMatchesGoTOML checks the emitter against go-toml's own
// encoder set up as flyctl sets it up: for configs without unknown keys
// the bytes must be identical.
func TestMarshalMatchesGoTOML(t *testing.T) {
	configs := map[string]*Config{
		"launch": NewLaunchConfig("flycast-demo", "iad", "nginxdemos/hello", 80, AutoStopSuspend),
		"empty":  {},
		"empty tables": {
			Experimental: &Experimental{}, HTTPService: &HTTPService{},
			Services: []Service{{}}, Checks: map[string]*ToplevelCheck{"nil": nil, "odd name": {}},
		},
	}
	for _, file := range fixtures(t) {
		if c, err := Load(file); err == nil {
			configs[filepath.Base(file)] = c
		}
	}
	for name, c := range configs {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := gotoml.NewEncoder(&want).SetIndentTables(true).Encode(c); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), string(mustMarshal(t, c))); diff != "" {
				t.Errorf("Marshal differs from go-toml's encoder (-go-toml +Marshal):\n%s", diff)
			}
		})
	}
}

const unknownKeysSrc = `app = "keep"
custom_top = 1
kill_timeout = 5

[experimental]
  cmd = "run"
  future_flag = true

[build]
  image = "nginx"
  [build.extra_table]
    deep = { list = [1, 2], when = 1979-05-27 }

[http_service]
  internal_port = 8080
  sticky = "yes"
  [http_service.concurrency]
    type = "requests"
    burst = 3

[[services]]
  protocol = "tcp"
  internal_port = 9000
  mystery = [ { a = 1 }, { b = 2 } ]
  [[services.ports]]
    port = 9000
    weight = 0.5

[checks.alive]
  type = "tcp"
  port = 9000
  retries = 3

[[vm]]
  memory = "1gb"
  numa = "auto"

[[plugins]]
  name = "one"
[[plugins]]
  name = "two"

[unknown_section]
  a = 1
  b = "two"
`

func TestUnknownKeysSurvive(t *testing.T) {
	c := mustParse(t, unknownKeysSrc)
	wantKeys := []string{
		"custom_top", "experimental.future_flag", "build.extra_table", "http_service.sticky",
		"http_service.concurrency.burst", "services[0].mystery", "services[0].ports[0].weight",
		"checks.alive.retries", "vm[0].numa", "plugins", "unknown_section",
	}
	if diff := cmp.Diff(wantKeys, c.UnknownKeys()); diff != "" {
		t.Errorf("UnknownKeys() (-want +got):\n%s", diff)
	}
	out := mustMarshal(t, c)
	golden(t, "marshal/unknown-keys.toml", out)
	assertRoundTrip(t, c, out)
	// Unknown tables move after the known ones, so compare as sets.
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	if diff := cmp.Diff(wantKeys, mustParse(t, string(out)).UnknownKeys(), sorted); diff != "" {
		t.Errorf("UnknownKeys() after a round trip (-want +got):\n%s", diff)
	}
}
