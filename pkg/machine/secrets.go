package machine

import "fmt"

// SecretsFunc returns an app's deployed secrets, opened, as environment variables.
type SecretsFunc func(app string) (map[string]string, error)

// WithSecrets gives the app's container of every machine created from now on (not its
// sandbox) the app's secrets as environment variables, over the config's [env]. The
// values live only in the container's config, never in a machine record.
func WithSecrets(fn SecretsFunc) Option { return func(m *Manager) { m.secrets = fn } }

func (m *Manager) secretEnv(app string) (map[string]string, error) {
	if m.secrets == nil {
		return nil, nil
	}
	env, err := m.secrets(app)
	if err != nil {
		return nil, fmt.Errorf("reading the secrets of %s: %w", app, err)
	}
	return env, nil
}
