package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name, file string
		args       []string
		wantErr    bool
		out, err   string
	}{
		{"valid", "app = 'a'\n\n[http_service]\n  internal_port = 80\n", nil, false, "", "✓ Configuration is valid"},
		{"every problem with its line", "app = 'A'\n\n[http_service]\n  internal_port = 0\n", nil, true,
			"fly.toml:1: app must consist of only lowercase letters, numbers, and dashes",
			"✘ App configuration is not valid: 2 problem(s)"},
		{"strict reports unknown keys, not hangar's own", "app = 'a'\nfuture = 1\n\n[hangar]\n  idle_timeout = '30s'\n", []string{"--strict"}, true,
			"unrecognized key future", "1 problem(s)"},
		{"malformed", "app = 'a'\n[http_service\n", nil, true, "", "fly.toml:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "fly.toml"), []byte(tt.file), 0o644)
			env := cmdtest.New(t, dir, nil, false)
			err := cmdtest.Run(NewCmdConfig(env.F), append([]string{"validate"}, tt.args...)...)
			if tt.wantErr != errors.Is(err, cmdutil.ErrSilent) || (!tt.wantErr && err != nil) {
				t.Fatalf("error = %v", err)
			}
			if !strings.Contains(env.Out.String(), tt.out) || !strings.Contains(env.ErrOut.String(), tt.err) {
				t.Errorf("stdout:\n%s\nstderr:\n%s", env.Out, env.ErrOut)
			}
			if tt.name == "strict reports unknown keys, not hangar's own" && strings.Contains(env.Out.String(), "unrecognized key hangar") {
				t.Errorf("--strict reported the [hangar] table:\n%s", env.Out)
			}
		})
	}
}

func TestValidateMissingFile(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	err := cmdtest.Run(NewCmdConfig(env.F), "validate")
	if !errors.Is(err, cmdutil.ErrSilent) || !strings.Contains(env.ErrOut.String(), "fly.toml") {
		t.Errorf("error %v, stderr %q", err, env.ErrOut)
	}
}
