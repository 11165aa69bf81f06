package toml

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var launchTime = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// TestLaunchGolden pins the file `fly launch --image nginxdemos/hello
// --flycast --internal-port 80 --no-deploy` writes.
func TestLaunchGolden(t *testing.T) {
	c := NewLaunchConfig("flycast-demo", "iad", "nginxdemos/hello", 80, AutoStopStop)
	out, err := c.MarshalWithHeader(launchTime)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "launch.golden", out)
	if problems := c.Validate(); len(problems) != 0 {
		t.Errorf("launch config has problems: %v", problems)
	}
}

func TestNewLaunchConfigShapes(t *testing.T) {
	tests := []struct {
		name     string
		image    string
		port     int
		autoStop AutoStop
		want     string
	}{
		{"suspend", "img", 8080, AutoStopSuspend, "app = 'a'\nprimary_region = 'ord'\n\n[build]\n  image = 'img'\n\n[http_service]\n  internal_port = 8080\n  force_https = true\n  auto_stop_machines = 'suspend'\n  auto_start_machines = true\n  min_machines_running = 0\n  processes = ['app']\n\n[[vm]]\n  memory = '1gb'\n  cpu_kind = 'shared'\n  cpus = 1\n  memory_mb = 1024\n"},
		{"no port no image", "", 0, AutoStopOff, "app = 'a'\nprimary_region = 'ord'\n\n[[vm]]\n  memory = '1gb'\n  cpu_kind = 'shared'\n  cpus = 1\n  memory_mb = 1024\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustMarshal(t, NewLaunchConfig("a", "ord", tt.image, tt.port, tt.autoStop))
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fly.toml")
	if err := os.WriteFile(path, []byte("old contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewLaunchConfig("flycast-demo", "iad", "nginxdemos/hello", 80, AutoStopStop)
	if err := c.WriteFile(path, launchTime); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "launch.golden", got)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o644 {
		t.Errorf("mode = %v, want 0644", mode)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after WriteFile, want only fly.toml", len(entries))
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, loaded, configOpts); diff != "" {
		t.Errorf("Load(WriteFile(c)) differs (-want +got):\n%s", diff)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "fly.toml")
	err := NewLaunchConfig("a", "iad", "img", 80, AutoStopStop).WriteFile(path, launchTime)
	if err == nil || err.Error()[:len("writing fly.toml: ")] != "writing fly.toml: " {
		t.Fatalf("WriteFile into a missing directory = %v, want a writing fly.toml error", err)
	}
}
