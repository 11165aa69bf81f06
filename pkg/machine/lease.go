package machine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/state"
)

// leaseSyncTimeout bounds the syncs a lease holder owes before letting go.
const leaseSyncTimeout = 30 * time.Second

// leases lets one operation at a time work on a machine. An engine event
// for a machine that is held is not dropped: it marks the lease dirty, and
// the holder syncs the machine again before letting go.
type leases struct {
	mu   sync.Mutex
	held map[string]*lease // guarded by mu; by machine ID
}

type lease struct {
	released chan struct{} // closed when let go
	dirty    bool          // guarded by leases.mu
}

// acquire waits until the machine is free, then holds it.
func (l *leases) acquire(ctx context.Context, id string) error {
	for {
		l.mu.Lock()
		cur := l.held[id]
		if cur == nil {
			l.held[id] = &lease{released: make(chan struct{})}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		select {
		case <-cur.released:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// try holds the machine if it is free; otherwise it marks the holder's lease dirty.
func (l *leases) try(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur := l.held[id]; cur != nil {
		cur.dirty = true
		return false
	}
	l.held[id] = &lease{released: make(chan struct{})}
	return true
}

// release lets the machine go, unless it was marked dirty: then it clears
// the mark and reports true, and the holder must sync and call it again.
func (l *leases) release(id string) (again bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.held[id]
	if cur.dirty {
		cur.dirty = false
		return true
	}
	delete(l.held, id)
	close(cur.released)
	return false
}

// hold takes machine id for one operation. The returned func lets it go,
// syncing the machine first if events arrived meanwhile.
func (m *Manager) hold(ctx context.Context, id string) (func(), error) {
	if err := m.leases.acquire(ctx, id); err != nil {
		return nil, fmt.Errorf("waiting for another operation on machine %s: %w", id, err)
	}
	return func() { m.letGo(ctx, id) }, nil
}

func (m *Manager) letGo(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseSyncTimeout)
	defer cancel()
	for m.leases.release(id) {
		if _, err := m.sync(ctx, id); err != nil && !errors.Is(err, state.ErrMachineNotFound) {
			m.log.Warn("syncing machine from its container", "machine", id, "error", err)
		}
	}
}
