package proxy

import (
	"context"
	"sync"
)

// flight counts what http.Server.Shutdown cannot see: upgraded (hijacked)
// requests and raw TCP connections, so Close can wait for them to finish.
type flight struct {
	// mu guards n and idle.
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0; nil when nobody waits
}

func (f *flight) add() {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
}

func (f *flight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n--
	if f.n == 0 && f.idle != nil {
		close(f.idle)
		f.idle = nil
	}
}

// wait returns when nothing is in flight or ctx ends.
func (f *flight) wait(ctx context.Context) error {
	f.mu.Lock()
	if f.n == 0 {
		f.mu.Unlock()
		return nil
	}
	if f.idle == nil {
		f.idle = make(chan struct{})
	}
	idle := f.idle
	f.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
