package agent

import (
	"log/slog"
	"os"
)

// stderrLog is the agent's log when its caller gives none: its standard error, which
// `hangar agent start` sends to the agent's log file. It is the one place outside the
// commands that writes to a standard stream (arch_test.go allows it by name).
func stderrLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}
