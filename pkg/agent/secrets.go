package agent

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sync"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
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

// listSecrets answers names, digests and statuses; a value never leaves the agent through the API.
func (s *Server) listSecrets(r *http.Request) (any, error) {
	return s.apiSecrets(r.PathValue("app"))
}

func (s *Server) apiSecrets(app string) ([]api.Secret, error) {
	recs, err := s.store.Secrets(app)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.Machines(app)
	if err != nil {
		return nil, err
	}
	out := make([]api.Secret, 0, len(recs))
	for _, r := range recs {
		out = append(out, api.Secret{Name: r.Name, Digest: r.Digest, Status: secretStatus(r, ms), UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}

// secretStatus says which machines of the app have the secret's value: a machine has it
// when its record, written with its container's ID, holds the secret's digest, as its
// container was made with that value (a digest is of name and value, so a value set
// again after the container was made does not match, however the clock moved). Deployed
// on every machine, Staged on none, Partial on some (a rolling restart that failed or
// was detached half-way); Unknown when machines recorded before hangar kept digests
// leave it open. An app without machines shows the recorded flag, as its next machines
// get every secret that is not staged.
func secretStatus(sec state.Secret, machines []state.Machine) string {
	have, lack, unknown := 0, 0, 0
	for _, m := range machines {
		switch {
		case m.State == state.MachineDestroyed: // its container is gone
		case m.Secrets == nil:
			unknown++
		case m.Secrets[sec.Name] == sec.Digest:
			have++
		default:
			lack++
		}
	}
	switch {
	case have > 0 && lack > 0:
		return api.SecretPartial
	case unknown > 0:
		return api.SecretUnknown
	case have > 0:
		return api.SecretDeployed
	case lack > 0 || sec.Staged:
		return api.SecretStaged
	}
	return api.SecretDeployed
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
	all, err := s.apiSecrets(app)
	return api.SetSecretsResponse{Deployed: rel != nil, Secrets: all}, err
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
	dreq, err := s.restartRequest(r.PathValue("app"))
	s.runDeploy(w, r, dreq, err)
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

// secretEnv is what machines get: the app's deployed secrets, opened, with their
// digests. An app without secrets needs no key, so none is made.
func (s *Server) secretEnv(app string) (machine.Secrets, error) {
	recs, err := s.store.Secrets(app)
	if err != nil || len(recs) == 0 {
		return machine.Secrets{}, err
	}
	key, err := s.secretKey()
	if err != nil {
		return machine.Secrets{}, err
	}
	out := machine.Secrets{Env: map[string]string{}, Digests: map[string]string{}}
	for _, rec := range recs {
		if rec.Staged {
			continue
		}
		if out.Env[rec.Name], err = key.Open(app, rec.Name, rec.Sealed); err != nil {
			return machine.Secrets{}, err
		}
		out.Digests[rec.Name] = rec.Digest
	}
	return out, nil
}
