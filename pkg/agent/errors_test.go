package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

// TestWriteErrorAnswersTheErrorsStatus: each kind of error answers its own status with
// its message, and only an unknown one is a 500.
func TestWriteErrorAnswersTheErrorsStatus(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"machine not found", fmt.Errorf("machine 3d8d not found: %w", state.ErrMachineNotFound), 404,
			`{"error":"machine 3d8d not found: machine not found","code":"machine_not_found"}`},
		{"machine started", fmt.Errorf("destroying 3d8d: %w", machine.ErrMachineStarted), 409,
			`{"error":"destroying 3d8d: machine is running","code":"machine_started"}`},
		{"no engine", errNoEngine, 503,
			`{"error":"this hangar agent has no container engine: is Docker installed and running?","code":"no_engine"}`},
		{"no flycast", errNoFlycast, 503, `{"error":"` + errNoFlycast.Error() + `","code":"no_flycast"}`},
		{"asleep", fmt.Errorf("web: %w", flycast.ErrAsleep), 503, `{"error":"web: ` + flycast.ErrAsleep.Error() + `","code":"asleep"}`},
		{"app not found", fmt.Errorf("app web: %w", state.ErrAppNotFound), 404, `{"error":"app web: app not found","code":"app_not_found"}`},
		{"request", badRequest("the remote host (?host=) is missing"), 400, `{"error":"the remote host (?host=) is missing","code":"invalid"}`},
		{"disk full", fmt.Errorf("creating app web: %w", &fs.PathError{Op: "write", Path: "/h/state.db", Err: syscall.ENOSPC}), 507,
			`{"error":"the disk that holds hangar's state is full; nothing was changed: free space there and try again (creating app web: write /h/state.db: no space left on device)","code":"disk_full"}`},
		{"file size limit", errors.New("creating app web: file resize error: truncate /h/state.db: file too large"), 507,
			`{"error":"the disk that holds hangar's state is full; nothing was changed: free space there and try again (creating app web: file resize error: truncate /h/state.db: file too large)","code":"disk_full"}`},
		{"unknown", errors.New("disk on fire"), 500, `{"error":"disk on fire","code":"internal"}`},
	}
	s := &Server{log: slog.New(slog.DiscardHandler)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.writeError(w, httptest.NewRequest("GET", "/v1/apps/web/logs", nil), tt.err)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d", w.Code, tt.status)
			}
			if diff := cmp.Diff(tt.body+"\n", w.Body.String()); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

// TestHandlersAnswerTheirErrorsStatus: JSON, streamed and upgraded handlers alike answer
// an unknown machine with 404 and a missing engine with 503, not 500 "internal".
func TestHandlersAnswerTheirErrorsStatus(t *testing.T) {
	c := serveWithoutEngine(t)
	ctx := context.Background()
	if _, err := c.CreateApp(ctx, api.CreateAppRequest{AppName: "web", OrgSlug: "personal"}); err != nil {
		t.Fatal(err)
	}
	notFound := api.Error{Status: 404, Code: "machine_not_found", Message: "machine nope not found"}
	noEngine := api.Error{Status: 503, Code: "no_engine", Message: errNoEngine.Error()}
	tests := []struct {
		name string
		call func() error
		want api.Error
	}{
		{"get machine", func() error { _, err := c.GetMachine(ctx, "web", "nope"); return err }, notFound},
		{"start machine", func() error { _, err := c.StartMachine(ctx, "web", "nope"); return err }, noEngine},
		{"attach", func() error { return closeConn(c.Attach(ctx, "web", "nope")) }, notFound},
		{"logs", func() error {
			rc, err := c.Logs(ctx, "web", "", false, 10)
			if rc != nil {
				rc.Close()
			}
			return err
		}, noEngine},
		{"deploy", func() error {
			_, err := c.Deploy(ctx, "web", api.DeployRequest{Config: "app = 'web'\n"}, func(api.DeployEvent) {})
			return err
		}, noEngine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var apiErr *api.Error
			if err := tt.call(); !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want the agent's error", err)
			}
			if *apiErr != tt.want {
				t.Errorf("error = %+v, want %+v", *apiErr, tt.want)
			}
		})
	}
}

func closeConn(c interface{ Close() error }, err error) error {
	if err == nil {
		c.Close()
	}
	return err
}
