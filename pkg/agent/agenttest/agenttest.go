// Package agenttest runs a real agent in-process on a temporary HANGAR_HOME, for command tests.
package agenttest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/agent"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/state"
)

// Agent is a running in-process agent.
type Agent struct {
	Home   string
	Client *api.Client
	Store  *state.Store
}

// Start serves the API on a socket in a fresh directory and stops it when the test ends,
// after checking that the state is consistent.
func Start(t testing.TB, now func() time.Time) *Agent {
	t.Helper()
	dir, err := os.MkdirTemp("", "hangar-test-") // short: a socket path holds 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	store, err := state.Open(home.Database(dir), state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := agent.NewServer(agent.Config{Store: store, Home: dir, Version: "test", Now: now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	a := &Agent{Home: dir, Client: api.NewClient(home.Socket(dir)), Store: store}
	t.Cleanup(func() { a.stop(t, cancel, done) })
	waitUp(t, a.Client)
	return a
}

func (a *Agent) stop(t testing.TB, cancel func(), done <-chan error) {
	cancel()
	if err := <-done; err != nil {
		t.Errorf("agent: %v", err)
	}
	if err := a.Store.Check(); err != nil {
		t.Errorf("state after test: %v", err)
	}
	a.Store.Close()
	os.RemoveAll(a.Home)
}

func waitUp(t testing.TB, c *api.Client) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := c.Ping(context.Background()); err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("in-process agent did not answer within 5s")
}
