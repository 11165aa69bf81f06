package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hangarhq/hangar/pkg/home"
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
	s := NewServer(Config{Store: store, Log: log, Version: version, Home: dir, Engine: asEngine(engine)})
	return s.Serve(ctx)
}

// asEngine keeps a nil *docker.Engine from becoming a non-nil interface.
func asEngine(e *docker.Engine) runtime.Engine {
	if e == nil {
		return nil
	}
	return e
}
