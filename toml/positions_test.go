package toml

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const positionsSrc = `app = "x"
[http_service]
  internal_port = 8080

[[services]]
  internal_port = 1
  [[services.ports]]
    port = 80
  [[services.ports]]
    port = 443
    tls_options = { alpn = ["h2"], versions = [
      "TLSv1.3",
    ] }
  [services.concurrency]
    type = "requests"

[[services]]
  [[services.ports]]
    port = 8080

[deploy]
  release_command_vm.memory = "1gb"

[env]
  "MY.VAR" = "1"

[[vm]]
  memory = "1gb"
`

func TestIndexLines(t *testing.T) {
	lines := indexLines([]byte(positionsSrc))
	want := map[string]int{
		"app":                                          1,
		"http_service":                                 2,
		"http_service.internal_port":                   3,
		"services":                                     5,
		"services[0]":                                  5,
		"services[0].internal_port":                    6,
		"services[0].ports[0]":                         7,
		"services[0].ports[0].port":                    8,
		"services[0].ports[1]":                         9,
		"services[0].ports[1].port":                    10,
		"services[0].ports[1].tls_options.alpn":        11,
		"services[0].ports[1].tls_options.alpn[0]":     11,
		"services[0].ports[1].tls_options.versions[0]": 12,
		"services[0].concurrency":                      14,
		"services[0].concurrency.type":                 15,
		"services[1]":                                  17,
		"services[1].ports[0].port":                    19,
		"deploy.release_command_vm":                    22,
		"deploy.release_command_vm.memory":             22,
		`env."MY.VAR"`:                                 25,
		"vm[0].memory":                                 28,
	}
	for path, line := range want {
		if got := lines[path]; got != line {
			t.Errorf("line of %s = %d, want %d", path, got, line)
		}
	}
}

func TestConfigLine(t *testing.T) {
	c := mustParse(t, positionsSrc)
	tests := map[string]int{
		"services[1].ports[0].port":           19,
		"services[1].internal_port":           17, // absent: the line of its table
		"services[0].ports[1].tls_options":    11,
		"vm[0].cpus":                          27,
		`env."MY.VAR"`:                        25,
		"no_such_section.key":                 0,
		"deploy.release_command_vm.memory":    22,
		"http_service.concurrency.hard_limit": 2,
	}
	for path, want := range tests {
		t.Run(path, func(t *testing.T) {
			if got := c.Line(path); got != want {
				t.Errorf("Line(%q) = %d, want %d", path, got, want)
			}
		})
	}
}

// TestLinesFollowLegacyShapes checks that values moved by the normaliser
// still point at the line they were written on.
func TestLinesFollowLegacyShapes(t *testing.T) {
	c := mustParse(t, `[[services]]

[[services]]
  internal_port = "80"

[experimental]
  kill_timeout = 3
  metrics_port = 9000

[[env]]
  A = 1
[[env]]
  B = 2

[[compute]]
  memory = 512
[vm]
  cpus = 2

[mount]
  source = "data"

[[processes]]
  name = "web"
  command = "web"

[[checks]]
  name = "alive"
  type = "tcp"
`)
	want := map[string]int{
		"services[0].internal_port": 4, "kill_timeout": 7, "metrics[0]": 6, "env.B": 13,
		"vm[0].memory": 16, "vm[1].cpus": 18, "mounts[0].source": 21, "processes.web": 23,
		"checks.alive.type": 29,
	}
	got := map[string]int{}
	for path := range want {
		got[path] = c.Line(path)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestParentPath(t *testing.T) {
	tests := map[string]string{
		"a":               "",
		"a.b":             "a",
		"a[3]":            "a",
		"a[3].b":          "a[3]",
		`env."MY.VAR"`:    "env",
		`a."x\"y.z"`:      "a",
		`a."q".b`:         `a."q"`,
		`checks."a b"[0]`: `checks."a b"`,
	}
	for in, want := range tests {
		if got := parentPath(in); got != want {
			t.Errorf("parentPath(%q) = %q, want %q", in, got, want)
		}
	}
}
