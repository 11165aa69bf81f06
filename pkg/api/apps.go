package api

import (
	"context"
	"net/http"
	"net/url"
)

// ListApps lists apps; an empty org lists every organization's.
func (c *Client) ListApps(ctx context.Context, org string) ([]App, error) {
	path := "/v1/apps"
	if org != "" {
		path += "?org_slug=" + url.QueryEscape(org)
	}
	var apps []App
	return apps, c.do(ctx, http.MethodGet, path, nil, &apps)
}

// CreateApp creates an app, and its Flycast address when asked, in one step.
func (c *Client) CreateApp(ctx context.Context, req CreateAppRequest) (CreateAppResponse, error) {
	var resp CreateAppResponse
	return resp, c.do(ctx, http.MethodPost, "/v1/apps", req, &resp)
}

// GetApp returns one app.
func (c *Client) GetApp(ctx context.Context, app string) (App, error) {
	var a App
	return a, c.do(ctx, http.MethodGet, appPath(app), nil, &a)
}

// DestroyApp removes an app with its addresses.
func (c *Client) DestroyApp(ctx context.Context, app string) error {
	return c.do(ctx, http.MethodDelete, appPath(app), nil, nil)
}

// ListOrgs lists organizations.
func (c *Client) ListOrgs(ctx context.Context) ([]Organization, error) {
	var orgs []Organization
	return orgs, c.do(ctx, http.MethodGet, "/v1/orgs", nil, &orgs)
}

// ListIPs lists an app's addresses.
func (c *Client) ListIPs(ctx context.Context, app string) ([]IPAddress, error) {
	var ips []IPAddress
	return ips, c.do(ctx, http.MethodGet, appPath(app, "ips"), nil, &ips)
}

// AllocateIP gives the app a new address of the type.
func (c *Client) AllocateIP(ctx context.Context, app, typ string) (IPAddress, error) {
	var ip IPAddress
	return ip, c.do(ctx, http.MethodPost, appPath(app, "ips"), AllocateIPRequest{Type: typ}, &ip)
}

// ReleaseIP takes an address from the app.
func (c *Client) ReleaseIP(ctx context.Context, app, addr string) error {
	return c.do(ctx, http.MethodDelete, appPath(app, "ips", addr), nil, nil)
}

// ListMachines lists an app's machines.
func (c *Client) ListMachines(ctx context.Context, app string) ([]Machine, error) {
	var ms []Machine
	return ms, c.do(ctx, http.MethodGet, appPath(app, "machines"), nil, &ms)
}
