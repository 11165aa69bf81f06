package api

import (
	"context"
	"net/http"
	"time"
)

// Secret is one app secret as the API shows it: its digest, never its value.
type Secret struct {
	Name      string    `json:"name"`
	Digest    string    `json:"digest"`
	Status    string    `json:"status"` // SecretDeployed, SecretStaged, SecretPartial or SecretUnknown
	UpdatedAt time.Time `json:"updated_at"`
}

// Secret statuses, as flyctl shows them: on every machine of the app, on none, on some,
// or not known (a machine recorded before hangar kept what its container got).
const (
	SecretDeployed = "Deployed"
	SecretStaged   = "Staged"
	SecretPartial  = "Partial"
	SecretUnknown  = "Unknown"
)

// SetSecretsRequest is POST /v1/apps/{app}/secrets: values to seal, names to remove.
// The secrets are recorded staged; POST …/secrets/deploy puts them on the machines.
type SetSecretsRequest struct {
	Secrets map[string]string `json:"secrets,omitempty"`
	Unset   []string          `json:"unset,omitempty"`
}

// SetSecretsResponse says what the change means for the app.
type SetSecretsResponse struct {
	// Deployed: the app has a deployed release whose machines a secrets deploy restarts;
	// false before the first deploy, which takes the secrets with it.
	Deployed bool     `json:"deployed"`
	Secrets  []Secret `json:"secrets"`
}

// ListSecrets lists an app's secrets.
func (c *Client) ListSecrets(ctx context.Context, app string) ([]Secret, error) {
	var out []Secret
	err := c.do(ctx, http.MethodGet, appPath(app, "secrets"), nil, &out)
	return out, err
}

// SetSecrets records and removes secrets, staged.
func (c *Client) SetSecrets(ctx context.Context, app string, req SetSecretsRequest) (SetSecretsResponse, error) {
	var out SetSecretsResponse
	err := c.do(ctx, http.MethodPost, appPath(app, "secrets"), req, &out)
	return out, err
}

// DeploySecrets puts the app's staged secrets on its machines: a restart of the deployed
// release, one machine at a time, with progress as a deploy's.
func (c *Client) DeploySecrets(ctx context.Context, app string, progress func(DeployEvent)) (Release, error) {
	return c.postRelease(ctx, appPath(app, "secrets", "deploy"), struct{}{}, progress)
}
