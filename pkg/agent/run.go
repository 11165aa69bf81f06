package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/state"
)

// Run opens the state in dir and serves the API until ctx ends: `hangar agent run`.
func Run(ctx context.Context, dir, version string, log *slog.Logger) error {
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
	s := NewServer(Config{Store: store, Log: log, Version: version, Home: dir})
	return s.Serve(ctx)
}
