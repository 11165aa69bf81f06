package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/state"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("x: %w", state.ErrAppNotFound), http.StatusNotFound, "app_not_found"},
		{fmt.Errorf("x: %w", state.ErrAppExists), http.StatusConflict, "app_exists"},
		{fmt.Errorf("allocating: %w", ipalloc.ErrExhausted), http.StatusConflict, "prefix_full"},
		{fmt.Errorf("%w: bad", launch.ErrInvalidName), http.StatusBadRequest, "invalid"},
		{badRequest("nope"), http.StatusBadRequest, "invalid"},
		{errors.New("disk on fire"), http.StatusInternalServerError, "internal"},
	}
	for _, tt := range tests {
		status, code := statusOf(tt.err)
		if status != tt.status || code != tt.code {
			t.Errorf("statusOf(%v) = %d %s, want %d %s", tt.err, status, code, tt.status, tt.code)
		}
	}
}

func shortDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "hgr-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestListenSocketIsOwnerOnlyAndReplacesStale(t *testing.T) {
	path := filepath.Join(shortDir(t), "hangar.sock")
	os.WriteFile(path, nil, 0o666) // a stale file nobody answers on
	ln, err := listenSocket(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 || info.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v: %v", info.Mode(), err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	if _, err := listenSocket(path); err == nil {
		t.Error("a second agent could listen on a live socket")
	}
}

func TestRunRefusesSecondAgent(t *testing.T) {
	dir := shortDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, dir, "test", nil) }()
	waitForSocket(t, filepath.Join(dir, "hangar.sock"))
	err := Run(context.Background(), dir, "test", nil)
	if err == nil {
		t.Fatal("second Run succeeded")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("first Run: %v", err)
	}
}

func waitForSocket(t *testing.T, path string) {
	for range 500 {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return
		}
		waitABit()
	}
	t.Fatalf("no agent on %s", path)
}
