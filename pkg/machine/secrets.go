package machine

import "fmt"

// Secrets is what the app's container of a machine gets of its app's secrets: the
// deployed ones, opened, as environment variables, and their digests by name, which
// the machine's record keeps (never a value) so that `secrets list` can tell which
// machines have which.
type Secrets struct {
	Env, Digests map[string]string
}

// SecretsFunc returns an app's deployed secrets.
type SecretsFunc func(app string) (Secrets, error)

// WithSecrets gives the app's container of every machine created from now on (not its
// sandbox) the app's secrets as environment variables, over the config's [env]. The
// values live only in the container's config, never in a machine record.
func WithSecrets(fn SecretsFunc) Option { return func(m *Manager) { m.secrets = fn } }

// secretEnv is the app's secrets; its Digests are never nil, so that the record of a
// container made without secrets says so.
func (m *Manager) secretEnv(app string) (Secrets, error) {
	var s Secrets
	if m.secrets != nil {
		var err error
		if s, err = m.secrets(app); err != nil {
			return Secrets{}, fmt.Errorf("reading the secrets of %s: %w", app, err)
		}
	}
	if s.Digests == nil {
		s.Digests = map[string]string{}
	}
	return s, nil
}
