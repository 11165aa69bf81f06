package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// GetMachine returns one machine of an app.
func (c *Client) GetMachine(ctx context.Context, app, id string) (Machine, error) {
	var m Machine
	return m, c.do(ctx, http.MethodGet, appPath(app, "machines", id), nil, &m)
}

// RunMachine creates and starts one machine outside a deploy (`machine run`).
func (c *Client) RunMachine(ctx context.Context, app string, req RunMachineRequest) (Machine, error) {
	var m Machine
	return m, c.do(ctx, http.MethodPost, appPath(app, "machines"), req, &m)
}

// StartMachine starts (or resumes) a machine.
func (c *Client) StartMachine(ctx context.Context, app, id string) (Machine, error) {
	var m Machine
	return m, c.do(ctx, http.MethodPost, appPath(app, "machines", id, "start"), nil, &m)
}

// StopMachine stops a machine with its kill signal, or the one given.
func (c *Client) StopMachine(ctx context.Context, app, id string, req StopMachineRequest) (Machine, error) {
	var m Machine
	return m, c.do(ctx, http.MethodPost, appPath(app, "machines", id, "stop"), req, &m)
}

// SuspendMachine freezes a machine in memory.
func (c *Client) SuspendMachine(ctx context.Context, app, id string) (Machine, error) {
	var m Machine
	return m, c.do(ctx, http.MethodPost, appPath(app, "machines", id, "suspend"), nil, &m)
}

// DestroyMachine removes a machine; force removes a started one.
func (c *Client) DestroyMachine(ctx context.Context, app, id string, force bool) error {
	return c.do(ctx, http.MethodDelete, appPath(app, "machines", id)+fmt.Sprintf("?force=%t", force), nil, nil)
}

// ListReleases lists an app's releases, newest first.
func (c *Client) ListReleases(ctx context.Context, app string) ([]Release, error) {
	var rs []Release
	return rs, c.do(ctx, http.MethodGet, appPath(app, "releases"), nil, &rs)
}

// Logs streams the app's logs (one machine's when id is set) as text lines.
func (c *Client) Logs(ctx context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error) {
	q := url.Values{"follow": {fmt.Sprint(follow)}, "tail": {fmt.Sprint(tail)}, "machine": {id}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://hangar"+appPath(app, "logs")+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reaching the hangar agent at %s: %w", c.socket, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		return nil, decode(resp, nil)
	}
	return resp.Body, nil
}
