package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
)

// ExecIDHeader carries the exec's ID in the answer that switches to its stream.
const ExecIDHeader = "Hangar-Exec-Id"

// ExecRequest is POST /v1/apps/{app}/machines/{id}/exec: a command to run in the machine.
type ExecRequest struct {
	Cmd []string          `json:"cmd"`
	Env map[string]string `json:"env,omitempty"`
	Tty bool              `json:"tty"`
}

// ExecStatus is GET /v1/apps/{app}/exec/{exec}, once the exec's stream ended.
type ExecStatus struct {
	ExitCode int `json:"exit_code"`
}

// Exec runs a command in a machine (waking it) and returns the stream joined to the
// command's stdin and output, and the exec's ID.
func (c *Client) Exec(ctx context.Context, app, id string, req ExecRequest) (net.Conn, string, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, "", err
	}
	conn, h, err := c.upgrade(ctx, appPath(app, "machines", id, "exec"), body, "running a command in machine "+id)
	if err != nil {
		return nil, "", err
	}
	return conn, h.Get(ExecIDHeader), nil
}

// ExecExitCode is the exit code of an exec whose stream ended.
func (c *Client) ExecExitCode(ctx context.Context, app, execID string) (int, error) {
	var st ExecStatus
	err := c.do(ctx, http.MethodGet, appPath(app, "exec", execID), nil, &st)
	return st.ExitCode, err
}

// ResizeExec sets an exec's terminal size.
func (c *Client) ResizeExec(ctx context.Context, app, execID string, rows, cols int) error {
	return c.do(ctx, http.MethodPost, appPath(app, "exec", execID, "resize")+fmt.Sprintf("?rows=%d&cols=%d", rows, cols), nil, nil)
}
