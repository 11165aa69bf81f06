package agent

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sync"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/secrets"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// secretKeys is the key that seals secrets, read (or made) at its first use.
type secretKeys struct {
	mu  sync.Mutex // guards key
	key *secrets.Key
}

func (s *Server) secretKey() (*secrets.Key, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.key == nil {
		k, err := secrets.LoadKey(filepath.Join(s.home, secrets.KeyFile))
		if err != nil {
			return nil, err
		}
		s.keys.key = k
	}
	return s.keys.key, nil
}

// listSecrets answers names and digests; a value never leaves the agent through the API.
func (s *Server) listSecrets(r *http.Request) (any, error) {
	recs, err := s.store.Secrets(r.PathValue("app"))
	if err != nil {
		return nil, err
	}
	return toAPISecrets(recs), nil
}

// setSecrets seals and records secrets, staged, and removes the ones named in unset,
// all or nothing; the CLI then deploys them unless told to stage them.
func (s *Server) setSecrets(r *http.Request) (any, error) {
	app := r.PathValue("app")
	var req api.SetSecretsRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	recs, err := s.sealSecrets(app, req.Secrets)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetSecrets(app, recs, req.Unset, s.now()); err != nil {
		return nil, err
	}
	s.log.Info("secrets changed", "app", app, "set", len(recs), "unset", len(req.Unset))
	rel, err := s.store.DeployedRelease(app)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Secrets(app)
	return api.SetSecretsResponse{Deployed: rel != nil, Secrets: toAPISecrets(all)}, err
}

func (s *Server) sealSecrets(app string, values map[string]string) ([]state.Secret, error) {
	if len(values) == 0 {
		return nil, nil
	}
	if _, err := s.store.App(app); err != nil {
		return nil, err // before the key is made for an app that does not exist
	}
	key, err := s.secretKey()
	if err != nil {
		return nil, err
	}
	var recs []state.Secret
	for name, value := range values {
		if err := secrets.CheckName(name); err != nil {
			return nil, badRequest(err.Error())
		}
		if len(value) > secrets.MaxValue {
			return nil, badRequest(fmt.Sprintf("secret %s is %d bytes: the limit is 64 KiB", name, len(value)))
		}
		sealed, err := key.Seal(app, name, value)
		if err != nil {
			return nil, err
		}
		recs = append(recs, state.Secret{Name: name, Sealed: sealed, Digest: key.Digest(name, value), Staged: true})
	}
	return recs, nil
}

// deploySecrets restarts the app's deployed release, one machine at a time, so its
// machines are made again with the staged secrets; it streams progress as a deploy does.
func (s *Server) deploySecrets(w http.ResponseWriter, r *http.Request) {
	app := r.PathValue("app")
	dreq, err := s.restartRequest(app)
	if err == nil {
		err = s.lockDeploy(app)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer s.unlockDeploy(app)
	s.runDeploy(w, dreq)
}

// restartRequest is a deploy of the app's deployed release as it is (its fly.toml and
// image, not the local ones), rolling, adding no machine.
func (s *Server) restartRequest(app string) (deploy.Request, error) {
	if _, err := s.machines(); err != nil {
		return deploy.Request{}, err
	}
	rel, err := s.store.DeployedRelease(app)
	if err != nil {
		return deploy.Request{}, err
	}
	if rel == nil {
		return deploy.Request{}, &requestError{status: http.StatusConflict, code: "not_deployed",
			msg: "app " + app + " has not been deployed: its secrets are staged for the first deployment (hangar deploy)"}
	}
	cfg, err := toml.Parse(fmt.Sprintf("fly.toml of release v%d", rel.Version), []byte(rel.Config))
	if err != nil {
		return deploy.Request{}, fmt.Errorf("reading the deployed release v%d of %s: %w", rel.Version, app, err)
	}
	d := newDeployRequest(app, api.DeployRequest{Config: rel.Config, Image: rel.Image, Strategy: deploy.StrategyRolling}, cfg)
	d.Unrouted = s.plane != nil && s.flycast.Loopback.IsValid()
	return d, nil
}

// secretEnv is what machines get: the app's deployed secrets, opened. An app without
// secrets needs no key, so none is made.
func (s *Server) secretEnv(app string) (map[string]string, error) {
	recs, err := s.store.Secrets(app)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	key, err := s.secretKey()
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for _, rec := range recs {
		if rec.Staged {
			continue
		}
		if env[rec.Name], err = key.Open(app, rec.Name, rec.Sealed); err != nil {
			return nil, err
		}
	}
	return env, nil
}

func toAPISecrets(recs []state.Secret) []api.Secret {
	out := make([]api.Secret, 0, len(recs))
	for _, r := range recs {
		status := api.SecretDeployed
		if r.Staged {
			status = api.SecretStaged
		}
		out = append(out, api.Secret{Name: r.Name, Digest: r.Digest, Status: status, UpdatedAt: r.UpdatedAt})
	}
	return out
}
