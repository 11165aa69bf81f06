package proxy

import (
	"context"
	"fmt"
	"time"
)

// waitGrace lets the wake a request waits for fail with its own, more
// telling, timeout before the request's timeout fires.
const waitGrace = time.Second

// await queues for a machine: it starts the app's wake when none is in
// flight, and returns once a machine can take the request, the wake it
// waited for failed, or WakeTimeout passed.
func (a *app) await(ctx context.Context, svc Service, c cause) (*lease, error) {
	a.refreshUnlessWaking()
	timeout := fmt.Errorf("app %s: %w: no machine could take the request within %s", a.name, ErrWakeTimeout, a.p.cfg.WakeTimeout)
	ctx, stop := a.p.withTimeout(ctx, a.p.cfg.WakeTimeout+waitGrace, timeout)
	defer stop()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.waiting >= a.p.cfg.QueueLimit {
		return nil, fmt.Errorf("app %s: %w (%d)", a.name, ErrQueueFull, a.waiting)
	}
	a.enqueue(1)
	defer a.enqueue(-1)
	var seen *wake
	for {
		if l := a.tryLease(svc, c); l != nil {
			return l, nil
		}
		if err := a.settle(seen, svc, c); err != nil {
			return nil, err
		}
		seen = a.wake
		if err := a.waitChange(ctx); err != nil {
			return nil, a.waitError(err, seen, svc)
		}
	}
}

// settle decides what a waiter waits for: the wake in flight, a lease to
// come back, or a wake it starts. It returns the error that ends the wait.
func (a *app) settle(seen *wake, svc Service, c cause) error {
	switch {
	case seen != nil && seen.err != nil && !a.anyReachable(svc.InternalPort):
		return seen.err
	case a.wake != nil, a.anyReachable(svc.InternalPort):
		return nil
	}
	return a.wakeFor(svc, c)
}

// waitChange sleeps until capacity may have appeared or ctx ended. Called
// with a.mu held, which it releases while asleep.
func (a *app) waitChange(ctx context.Context) error {
	changed := a.changed
	a.mu.Unlock()
	defer a.mu.Lock()
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// waitError prefers the failure of the wake a waiter was waiting for over
// its own timeout, which fires at about the same time.
func (a *app) waitError(err error, seen *wake, svc Service) error {
	if seen != nil && seen.err != nil && !a.anyReachable(svc.InternalPort) {
		return seen.err
	}
	return err
}

func (a *app) enqueue(n int) {
	a.waiting += n
	a.p.metrics.queue.Add(int64(n))
}

func (a *app) refreshUnlessWaking() {
	a.mu.Lock()
	w := a.wake
	a.mu.Unlock()
	if w == nil {
		a.refresh()
	}
}
