package toml

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "valid",
			src: `app = "flycast-demo"
primary_region = "iad"
kill_signal = "SIGTERM"
kill_timeout = "30s"

[http_service]
  internal_port = 8080
  auto_stop_machines = "suspend"
  processes = ["app"]

[[vm]]
  memory = "512mb"
`,
		},
		{
			name: "app name",
			src:  "app = \"My_App\"\n",
			want: []string{`fly.toml:1: app must consist of only lowercase letters, numbers, and dashes, got "My_App"`},
		},
		{
			name: "app name dash",
			src:  "app = \"-demo\"\n",
			want: []string{`fly.toml:1: app must not start or end with a dash, got "-demo"`},
		},
		{
			name: "app name length",
			src:  "app = \"" + strings.Repeat("a", 64) + "\"\n",
			want: []string{`fly.toml:1: app must be at most 63 characters, got 64`},
		},
		{
			name: "ports",
			src: `app = "ports"

[http_service]
  internal_port = 0

[[services]]
  protocol = "sctp"
  internal_port = 70000

  [[services.ports]]
    port = 80
    handlers = ["http", "spdy"]

  [[services.ports]]
    start_port = 9000
    end_port = 8000

  [[services.ports]]
    handlers = ["tls"]
`,
			want: []string{
				"fly.toml:4: http_service.internal_port must be 1-65535, got 0",
				`fly.toml:7: services[0].protocol must be tcp or udp, got "sctp"`,
				"fly.toml:8: services[0].internal_port must be 1-65535, got 70000",
				`fly.toml:12: warning: services[0].ports[0].handlers names "spdy", which is not one of http, tls, pg_tls, proxy_proto`,
				"fly.toml:16: services[0].ports[1].end_port must be at least start_port (9000), got 8000",
				"fly.toml:18: services[0].ports[2] needs port, or start_port and end_port",
			},
		},
		{
			name: "missing internal_port names the table",
			src:  "app = \"x\"\n\n[http_service]\n  force_https = true\n",
			want: []string{"fly.toml:3: http_service.internal_port must be 1-65535, got 0"},
		},
		{
			name: "service without ports",
			src:  "[[services]]\n  protocol = \"tcp\"\n  internal_port = 8080\n",
			want: []string{"fly.toml:1: warning: services[0].ports is empty; add a [[services.ports]] entry or the service cannot be reached"},
		},
		{
			name: "concurrency",
			src: `[http_service]
  internal_port = 80
  [http_service.concurrency]
    type = "donuts"
    soft_limit = 25
    hard_limit = 20
`,
			want: []string{
				`fly.toml:4: warning: http_service.concurrency.type should be requests or connections, got "donuts"`,
				"fly.toml:6: http_service.concurrency.hard_limit must be at least soft_limit (25), got 20",
			},
		},
		{
			name: "top level",
			src: `kill_signal = "SIGHUP"
kill_timeout = 600
swap_size_mb = -1
console_command = "/bin/sh -c 'echo"
`,
			want: []string{
				`fly.toml:1: kill_signal must be one of SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGKILL, SIGSTOP, got "SIGHUP"`,
				"fly.toml:2: kill_timeout must be at most 5m0s, got 10m0s",
				"fly.toml:3: swap_size_mb must not be negative, got -1",
				"fly.toml:4: console_command cannot be split into words: it has a quote that is never closed",
			},
		},
		{
			name: "deploy",
			src: `[deploy]
  strategy = "canary"
  max_unavailable = 0.0
  release_command = "migrate \\"

[[mounts]]
  source = "data"
  destination = "/data"
`,
			want: []string{
				"fly.toml:2: deploy.strategy canary cannot be used with [[mounts]]; use rolling or immediate",
				"fly.toml:3: deploy.max_unavailable must be greater than 0 (a fraction below 1 or a number of machines), got 0",
				"fly.toml:4: deploy.release_command cannot be split into words: it ends with a backslash",
			},
		},
		{
			name: "mount at the root",
			src:  "[[mounts]]\n  source = \"data\"\n  destination = \"/\"\n",
			want: []string{"fly.toml:3: mounts[0].destination cannot be '/': mount the volume at a directory of its own, like destination = '/data'"},
		},
		{
			name: "deploy strategy",
			src:  "[deploy]\n  strategy = \"blue-green\"\n  max_unavailable = 2\n",
			want: []string{
				`fly.toml:2: deploy.strategy must be one of canary, rolling, immediate, bluegreen, got "blue-green"`,
				"fly.toml:3: warning: deploy.max_unavailable only applies to the rolling and canary strategies, not blue-green",
			},
		},
		{
			name: "top-level checks",
			src: `[checks.fast]
  type = "tcp"
  port = 8080
  interval = "1s"
  timeout = "2m"

[checks.typeless]
  port = 8080

[checks.portless]
  type = "grpc"
`,
			want: []string{
				"fly.toml:4: checks.fast.interval must be at least 2s, got 1s",
				"fly.toml:5: checks.fast.timeout must be at most 1m0s, got 2m0s",
				"fly.toml:7: checks.typeless.type is required and must be http or tcp",
				"fly.toml:10: checks.portless.port is required when there is no [http_service] to take it from",
				`fly.toml:11: checks.portless.type must be http or tcp, got "grpc"`,
			},
		},
		{
			name: "process groups",
			src: `[processes]
  web = "bin/web"
  worker = "bin/worker --queue 'default"

[http_service]
  internal_port = 8080

[[services]]
  protocol = "tcp"
  internal_port = 9000
  processes = ["web", "cron"]

  [[services.ports]]
    port = 9000
`,
			want: []string{
				"fly.toml:3: processes.worker cannot be split into words: it has a quote that is never closed",
				"fly.toml:5: http_service has no processes, but [processes] defines 2; set processes to the groups it serves",
				`fly.toml:11: services[0].processes names "cron", which is not a process group (groups: web, worker)`,
			},
		},
		{
			name: "vm",
			src: `[[vm]]
  size = "shared-cpu-3x"
  memory = 0
  cpu_kind = "gpu"
  processes = ["web"]

[[vm]]
  memory = "lots"
  cpus = -2
`,
			want: []string{
				`fly.toml:2: vm[0].size must be a machine size such as shared-cpu-1x or performance-2x, got "shared-cpu-3x"`,
				"fly.toml:3: vm[0].memory cannot be zero",
				`fly.toml:4: vm[0].cpu_kind must be shared or performance, got "gpu"`,
				`fly.toml:5: vm[0].processes names "web", which is not a process group (groups: app)`,
				`fly.toml:8: vm[1].memory must be a size like "1gb" or "512mb": "lots" is not a size like 512mb or 1gb`,
				"fly.toml:9: vm[1].cpus must not be negative, got -2",
			},
		},
		{
			name: "mounts",
			src: `[[mounts]]
  source = "data"
  destination = "/data"
  initial_size = "500mb"
  snapshot_retention = 90

[[mounts]]
  destination = "/more"
  auto_extend_size_threshold = 40
  auto_extend_size_limit = "1000gb"
`,
			want: []string{
				"fly.toml:1: mounts gives process group \"app\" 2 volumes; a group can mount only one",
				`fly.toml:4: mounts[0].initial_size must be at least 1GB, got "500mb"`,
				"fly.toml:5: mounts[0].snapshot_retention must be 1-60 days, got 90",
				"fly.toml:7: mounts[1].source is required: the name of the volume to mount",
				"fly.toml:7: mounts[1].auto_extend_size_increment is required when auto-extending (1gb-100gb)",
				"fly.toml:9: mounts[1].auto_extend_size_threshold must be 50-99 (percent) when auto-extending, got 40",
				`fly.toml:10: mounts[1].auto_extend_size_limit must be at most 500GB, got "1000gb"`,
			},
		},
		{
			name: "files restart statics metrics",
			src: `[[files]]
  guest_path = "/etc/app.conf"
  raw_value = "x"
  secret_name = "Y"

[[restart]]
  policy = "sometimes"

[[statics]]
  url_prefix = "/static"

[[metrics]]
  path = "/metrics"
`,
			want: []string{
				"fly.toml:1: files[0] needs exactly one of local_path, secret_name and raw_value, got 2",
				`fly.toml:7: restart[0].policy must be always, never or on-failure, got "sometimes"`,
				"fly.toml:9: statics[0].guest_path is required",
				"fly.toml:12: metrics[0].port must be 1-65535, got 0",
			},
		},
		{
			name: "service check durations",
			src: `[[services]]
  protocol = "tcp"
  internal_port = 80
  [[services.ports]]
    port = 80
  [[services.tcp_checks]]
    interval = 500
    timeout = "2m"
    grace_period = "100ms"
`,
			want: []string{
				"fly.toml:7: warning: services[0].tcp_checks[0].interval is less than 1s (500ms); it will be raised to 1s",
				"fly.toml:8: warning: services[0].tcp_checks[0].timeout is more than 1m (2m0s); it will be lowered to 1m",
				"fly.toml:9: warning: services[0].tcp_checks[0].grace_period is less than 1s (100ms); it will be raised to 1s",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range mustParse(t, tt.src).Validate() {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateBuiltInCode covers configs made by other packages: no lines,
// and values the parser would never produce.
func TestValidateBuiltInCode(t *testing.T) {
	c := NewLaunchConfig("demo", "iad", "img", 80, "maybe")
	c.Services = []Service{{Protocol: "udp", InternalPort: 53, Ports: []ServicePort{{Port: ptr(53)}}}}
	want := []Problem{{Key: "http_service.auto_stop_machines", Message: `must be one of off, stop, suspend, got "maybe"`}}
	if diff := cmp.Diff(want, c.Validate()); diff != "" {
		t.Errorf("Validate() (-want +got):\n%s", diff)
	}
	if got := want[0].String(); got != `fly.toml: http_service.auto_stop_machines must be one of off, stop, suspend, got "maybe"` {
		t.Errorf("String() = %s", got)
	}
	if !HasErrors(want) || HasErrors([]Problem{{Warning: true}}) {
		t.Error("HasErrors is wrong")
	}
}
