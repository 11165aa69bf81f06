package machine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// defaultCheckTimeout bounds one check attempt whose fly.toml gives no timeout.
const defaultCheckTimeout = 5 * time.Second

// runChecks runs every HTTP check once against addr; the first failure is returned.
func (m *Manager) runChecks(ctx context.Context, addr string, checks []HTTPCheck) error {
	if len(checks) == 0 {
		return nil
	}
	client := &http.Client{
		Transport:     &http.Transport{DialContext: m.dial, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	for _, c := range checks {
		if err := runCheck(ctx, client, addr, c); err != nil {
			return err
		}
	}
	return nil
}

// runCheck passes when the machine answers with a 2xx status, as Fly's HTTP checks do.
func runCheck(ctx context.Context, client *http.Client, addr string, c HTTPCheck) error {
	ctx, cancel := context.WithTimeout(ctx, or(c.Timeout, defaultCheckTimeout))
	defer cancel()
	req, err := checkRequest(ctx, addr, c)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("check %s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("check %s %s answered %s", req.Method, req.URL.Path, resp.Status)
	}
	return nil
}

// checkRequest is the request of check c to addr; a Host header sets the request's host.
func checkRequest(ctx context.Context, addr string, c HTTPCheck) (*http.Request, error) {
	method, path := or(strings.ToUpper(c.Method), http.MethodGet), or(c.Path, "/")
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path, nil)
	if err != nil {
		return nil, fmt.Errorf("check %s %s: %w", method, path, err)
	}
	for k, v := range c.Headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	return req, nil
}
