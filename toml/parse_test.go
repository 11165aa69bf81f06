package toml

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		kind            error
	}{
		{
			name: "unclosed table header",
			src:  "app = 'x'\n\n[http_service\n",
			want: "fly.toml:3: expected ']' to close table name (column 14)",
			kind: ErrSyntax,
		},
		{
			name: "duplicate key",
			src:  "app = 'x'\napp = 'y'\n",
			want: "fly.toml:2: key app is already defined (column 1)",
			kind: ErrSyntax,
		},
		{
			name: "string internal_port",
			src:  "app = 'x'\n\n[build]\n  image = 'nginx'\n\n# comment\n\n[http_service]\n  internal_port = 'abc'\n",
			want: `fly.toml:9: http_service.internal_port: expected an integer, got "abc"`,
			kind: ErrValue,
		},
		{
			name: "service port not a number",
			src:  "[[services]]\n  internal_port = 80\n  [[services.ports]]\n    port = 443\n  [[services.ports]]\n    port = 'eighty'\n",
			want: `fly.toml:6: services[0].ports[1].port: expected an integer, got "eighty"`,
			kind: ErrValue,
		},
		{
			name: "autostop",
			src:  "[http_service]\n  auto_stop_machines = 'sometimes'\n",
			want: `fly.toml:2: http_service.auto_stop_machines: must be one of off, stop, suspend (or false/true), got "sometimes"`,
			kind: ErrValue,
		},
		{
			name: "autostop number",
			src:  "[[services]]\n  auto_stop_machines = 1\n",
			want: `fly.toml:2: services[0].auto_stop_machines: must be one of off, stop, suspend (or false/true), got 1`,
			kind: ErrValue,
		},
		{
			name: "concurrency string",
			src:  "[[services]]\n  concurrency = 'lots'\n",
			want: `fly.toml:2: services[0].concurrency: expected "soft,hard" limits like "20,25", got "lots"`,
			kind: ErrValue,
		},
		{
			name: "kill_timeout bool",
			src:  "app = 'x'\nkill_timeout = true\n",
			want: `fly.toml:2: kill_timeout: expected a duration like "10s" or a number of seconds, got true`,
			kind: ErrValue,
		},
		{
			name: "legacy experimental kill_timeout",
			src:  "[experimental]\n  kill_timeout = [1]\n",
			want: `fly.toml:2: kill_timeout: expected a duration like "10s" or a number of seconds, got an array`,
			kind: ErrValue,
		},
		{
			name: "bad check duration",
			src:  "[checks.alive]\n  type = 'tcp'\n  interval = '10 seconds'\n",
			want: `fly.toml:3: checks.alive.interval: expected a duration like "5s" or "1m30s", got "10 seconds"`,
			kind: ErrValue,
		},
		{
			name: "env table value",
			src:  "[env]\n  A = 'b'\n  NESTED = { x = 1 }\n",
			want: `fly.toml:3: env.NESTED: expected a string, number or boolean, got a table`,
			kind: ErrValue,
		},
		{
			name: "legacy env list entry",
			src:  "[[env]]\n  A = 'b'\n[[env]]\n  B = [1]\n",
			want: `fly.toml:4: env[1].B: expected a string, number or boolean, got an array`,
			kind: ErrValue,
		},
		{
			name: "vm memory array",
			src:  "[[vm]]\n  size = 'shared-cpu-1x'\n\n[[vm]]\n  memory = ['1gb']\n",
			want: `fly.toml:5: vm[1].memory: expected a string or a number, got an array`,
			kind: ErrValue,
		},
		{
			name: "legacy compute memory",
			src:  "[compute]\n  memory = {}\n",
			want: `fly.toml:2: compute.memory: expected a string or a number, got a table`,
			kind: ErrValue,
		},
		{
			name: "processes string",
			src:  "processes = 'web'\n",
			want: `fly.toml:1: processes: expected a table of process names and commands, got "web"`,
			kind: ErrValue,
		},
		{
			name: "process command number",
			src:  "[processes]\n  web = 'run'\n  worker = 3\n",
			want: `fly.toml:3: processes.worker: expected a string, got 3`,
			kind: ErrValue,
		},
		{
			name: "experimental cmd",
			src:  "[experimental]\n  cmd = [1, 2]\n",
			want: `fly.toml:2: experimental.cmd: expected a string or an array of strings, got an array holding 1`,
			kind: ErrValue,
		},
		{
			name: "legacy check without name",
			src:  "[[checks]]\n  type = 'tcp'\n",
			want: `fly.toml:1: checks[0]: expected a table with a name, got a table`,
			kind: ErrValue,
		},
		{
			name: "services not a table",
			src:  "services = 3\n",
			want: `fly.toml:1: services: expected a table or an array of tables, got 3`,
			kind: ErrValue,
		},
		{
			name: "http_service array",
			src:  "[[http_service]]\n  internal_port = 80\n",
			want: `fly.toml:1: http_service: expected a table, got an array`,
			kind: ErrValue,
		},
		{
			name: "header list without name",
			src:  "[[services]]\n  [[services.http_checks]]\n    [[services.http_checks.headers]]\n      value = 'x'\n",
			want: `fly.toml:3: services[0].http_checks[0].headers[0]: expected a table with a name and a value, got a table`,
			kind: ErrValue,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("fly.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse error\n got: %s\nwant: %s", err, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.kind)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fly.toml")
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), "reading fly.toml: ") || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want a wrapped not-exist error", err)
	}
}

func TestParseEmpty(t *testing.T) {
	c := mustParse(t, "")
	if got := c.ProcessNames(); len(got) != 1 || got[0] != "app" {
		t.Errorf("ProcessNames() = %v, want [app]", got)
	}
	if out, _ := c.Marshal(); len(out) != 0 {
		t.Errorf("Marshal() of an empty config = %q, want nothing", out)
	}
}
