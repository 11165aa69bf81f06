package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/state"
)

// Run opens the state in dir and serves the API until ctx ends: `hangar agent run`.
func Run(ctx context.Context, dir, version string, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	if err := home.Ensure(dir); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	store, err := state.Open(home.Database(dir), state.Options{})
	if errors.Is(err, state.ErrLocked) {
		return fmt.Errorf("another hangar agent is already running for %s: use hangar agent status", dir)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	engine, err := docker.New()
	if err != nil {
		log.Warn("no container engine: machine commands will fail until the agent restarts", "error", err)
	}
	cfg := Config{Store: store, Log: log, Version: version, Home: dir, Engine: asEngine(engine)}
	if err := flycastConfig(&cfg, dir); err != nil {
		log.Warn("Flycast addresses and private DNS are off", "error", err)
	}
	s := NewServer(cfg)
	return s.Serve(ctx)
}

// asEngine keeps a nil *docker.Engine from becoming a non-nil interface.
func asEngine(e *docker.Engine) runtime.Engine {
	if e == nil {
		return nil
	}
	return e
}

// flycastConfig turns on the Flycast plane when the host network can be changed, and
// points machines at its DNS server. HANGAR_IDLE_TIMEOUT and HANGAR_WAKE_TIMEOUT
// (Go durations) tune the proxy.
func flycastConfig(cfg *Config, dir string) error {
	if os.Geteuid() != 0 {
		return errors.New("the agent is not root, so it cannot route Flycast addresses (run it as root)")
	}
	idle, err := envDuration("HANGAR_IDLE_TIMEOUT")
	if err != nil {
		return err
	}
	wake, err := envDuration("HANGAR_WAKE_TIMEOUT")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(path, []byte("nameserver "+flycast.DNSAddr.Addr().String()+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	cfg.Flycast = &FlycastConfig{Idle: idle, WakeTimeout: wake}
	cfg.MachineOptions = append(cfg.MachineOptions, machine.WithResolvConf(path))
	return nil
}

func envDuration(name string) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration like 60s", name, v)
	}
	return d, nil
}
