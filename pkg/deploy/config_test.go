package deploy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

func TestMachineConfig(t *testing.T) {
	tests := []struct {
		name, toml, group string
		want              state.MachineConfig
		checks            []machine.HTTPCheck
	}{
		{"defaults", `app = "a"`, "app",
			state.MachineConfig{StopSignal: "SIGINT", StopTimeout: 5 * time.Second, MemoryMB: 256, CPUs: 1, CPUKind: "shared"}, nil},
		{"everything", `app = "a"
kill_signal = "SIGTERM"
kill_timeout = "30s"
[env]
  LOG = "debug"
[experimental]
  cmd = ["serve"]
  entrypoint = ["/bin/app"]
[http_service]
  internal_port = 8080
  [[http_service.checks]]
    path = "/healthz"
    method = "head"
    timeout = "2s"
    [http_service.checks.headers]
      Host = "a.internal"
[[vm]]
  size = "shared-cpu-2x"
  memory = "1gb"
`, "app", state.MachineConfig{Env: map[string]string{"LOG": "debug"}, Cmd: []string{"serve"}, Entrypoint: []string{"/bin/app"},
			InternalPort: 8080, StopSignal: "SIGTERM", StopTimeout: 30 * time.Second, MemoryMB: 1024, CPUs: 2, CPUKind: "shared"},
			[]machine.HTTPCheck{{Path: "/healthz", Method: "head", Timeout: 2 * time.Second, Headers: map[string]string{"Host": "a.internal"}}}},
		{"process command replaces cmd", `app = "a"
[experimental]
  cmd = ["serve"]
[processes]
  web = "bin/web --port 80"
  worker = "bin/worker -q \"high prio\""
[[services]]
  internal_port = 80
  processes = ["web"]
  protocol = "tcp"
`, "worker", state.MachineConfig{Cmd: []string{"bin/worker", "-q", "high prio"}, StopSignal: "SIGINT", StopTimeout: 5 * time.Second,
			MemoryMB: 256, CPUs: 1, CPUKind: "shared"}, nil},
		{"service without processes belongs to the default group", `app = "a"
[processes]
  web = "bin/web"
  app = "bin/app"
[http_service]
  internal_port = 3000
`, "app", state.MachineConfig{Cmd: []string{"bin/app"}, InternalPort: 3000, StopSignal: "SIGINT", StopTimeout: 5 * time.Second,
			MemoryMB: 256, CPUs: 1, CPUKind: "shared"}, nil},
		{"service without processes is not another group's; a [[vm]] naming it is", `app = "a"
[processes]
  web = "bin/web"
  app = "bin/app"
[http_service]
  internal_port = 3000
[[vm]]
  memory = "512mb"
[[vm]]
  processes = ["web"]
  memory = "1gb"
`, "web", state.MachineConfig{Cmd: []string{"bin/web"}, StopSignal: "SIGINT", StopTimeout: 5 * time.Second,
			MemoryMB: 1024, CPUs: 1, CPUKind: "shared"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := toml.Parse("fly.toml", []byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			got, err := machineConfig(cfg, tt.group)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.checks, checks(cfg, tt.group)); diff != "" {
				t.Errorf("checks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"bin/app serve", []string{"bin/app", "serve"}, false},
		{"  spaced\tout  ", []string{"spaced", "out"}, false},
		{`sh -c 'echo "$HOME"; exit 1'`, []string{"sh", "-c", `echo "$HOME"; exit 1`}, false},
		{`say "a \"quoted\" word" x\ y`, []string{"say", `a "quoted" word`, "x y"}, false},
		{`empty "" ''`, []string{"empty", "", ""}, false},
		{`open "quote`, nil, true},
		{`trailing \`, nil, true},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.in)
		if (err != nil) != tt.err || !cmp.Equal(got, tt.want) {
			t.Errorf("splitWords(%q) = %q, %v", tt.in, got, err)
		}
	}
}
