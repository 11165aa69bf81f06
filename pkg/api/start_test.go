package api

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/hangarhq/hangar/pkg/home"
)

// TestEnsureAgentOffLinuxSaysTheAgentNeedsLinux: a macOS CLI with no agent to talk to
// says why, instead of starting an agent that cannot run.
func TestEnsureAgentOffLinuxSaysTheAgentNeedsLinux(t *testing.T) {
	defer func(old string) { agentOS = old }(agentOS)
	agentOS = "darwin"
	dir, err := os.MkdirTemp("", "hgr-api-") // short: a socket path holds 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	_, err = EnsureAgent(context.Background(), dir, "/nonexistent/hangar", io.Discard)
	if !errors.Is(err, ErrAgentNeedsLinux) {
		t.Fatalf("EnsureAgent = %v, want %v", err, ErrAgentNeedsLinux)
	}
	want := "no hangar agent answers on " + home.Socket(dir) + ", and this one cannot start it: the hangar agent runs on Linux only; on macOS run it in a Linux VM"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}
