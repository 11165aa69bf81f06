package machine

import "context"

// CoolPass is one pass of the cooler, for tests.
func (m *Manager) CoolPass(ctx context.Context) { m.coolPass(ctx) }
