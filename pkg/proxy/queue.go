package proxy

import (
	"container/list"
	"context"
	"fmt"
	"time"
)

// waitGrace lets the wake a request waits for fail with its own, more
// telling, timeout before the request's timeout fires.
const waitGrace = time.Second

// waiter is one request or connection in an app's queue. It is woken through one
// channel per condition: handed, when a freed slot is given to it, first come first
// served; look, when a wake or a stop ended and nothing serves its port, so it must
// look again (to fail with the wake, or start another).
type waiter struct {
	svc    Service
	c      cause
	handed chan *lease   // buffered: the lease given to it
	look   chan struct{} // buffered

	// Guarded by app.mu.
	elem   *list.Element // its place in app.queue; nil once handed a lease or gone
	asleep bool          // waiting in waitTurn, not yet woken
}

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
	w, err := a.join(svc, c)
	if err != nil {
		return nil, err
	}
	defer a.leave(w)
	var seen *wake
	for {
		if l := a.tryLease(svc, c); l != nil {
			return l, nil
		}
		if err := a.settle(seen, svc, c); err != nil {
			return nil, err
		}
		seen = a.wake
		l, err := a.waitTurn(ctx, w)
		switch {
		case err != nil:
			return nil, a.waitError(err, seen, svc)
		case l != nil:
			return l, nil
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

// waitTurn sleeps until w is handed a lease, told to look again, or ctx ends; a
// lease that comes as ctx ends is passed on. Called with a.mu held, which it
// releases while asleep.
func (a *app) waitTurn(ctx context.Context, w *waiter) (*lease, error) {
	w.asleep = true
	a.asleep.Add(1)
	a.mu.Unlock()
	var l *lease
	select {
	case l = <-w.handed:
	case <-w.look:
	case <-ctx.Done():
	}
	a.mu.Lock()
	a.rouse(w) // woken by ctx: nobody else did
	if l == nil && w.elem == nil && ctx.Err() == nil {
		l = <-w.handed // handed one while it was told to look again
	}
	if err := ctx.Err(); err != nil {
		if l != nil {
			a.giveBack(l.m)
		}
		return nil, context.Cause(ctx)
	}
	return l, nil
}

// waitError prefers the failure of the wake a waiter was waiting for over
// its own timeout, which fires at about the same time.
func (a *app) waitError(err error, seen *wake, svc Service) error {
	if seen != nil && seen.err != nil && !a.anyReachable(svc.InternalPort) {
		return seen.err
	}
	return err
}

// join puts a waiter at the back of the queue, unless QueueLimit are waiting.
func (a *app) join(svc Service, c cause) (*waiter, error) {
	if n := a.queue.Len(); n >= a.p.cfg.QueueLimit {
		return nil, fmt.Errorf("app %s: %w (%d)", a.name, ErrQueueFull, n)
	}
	w := &waiter{svc: svc, c: c, handed: make(chan *lease, 1), look: make(chan struct{}, 1)}
	w.elem = a.queue.PushBack(w)
	a.p.metrics.queue.Add(1)
	return w, nil
}

// leave takes w out of the queue when it ends waiting; a lease handed to it that it
// did not take goes on to the next waiter.
func (a *app) leave(w *waiter) {
	if w.elem != nil {
		a.dequeue(w)
		return
	}
	select {
	case l := <-w.handed:
		a.giveBack(l.m)
	default:
	}
}

func (a *app) dequeue(w *waiter) {
	a.queue.Remove(w.elem)
	w.elem = nil
	a.p.metrics.queue.Add(-1)
}

// handOff gives a freed slot to the first waiter that can get a lease, and wakes
// only that one.
func (a *app) handOff() {
	for e := a.queue.Front(); e != nil; e = e.Next() {
		w := e.Value.(*waiter)
		if l := a.tryLease(w.svc, w.c); l != nil {
			a.hand(w, l)
			return
		}
	}
}

// broadcast tells the queue that capacity may have appeared (a wake or a stop ended):
// in the order they came, each waiter that can get a lease is handed one, and those
// whose port nothing serves look again.
func (a *app) broadcast() {
	for e := a.queue.Front(); e != nil; {
		w := e.Value.(*waiter)
		e = e.Next()
		switch l := a.tryLease(w.svc, w.c); {
		case l != nil:
			a.hand(w, l)
		case !a.anyReachable(w.svc.InternalPort):
			select {
			case w.look <- struct{}{}:
			default: // told already
			}
			a.rouse(w)
		}
	}
}

func (a *app) hand(w *waiter, l *lease) {
	a.dequeue(w)
	w.handed <- l
	a.rouse(w)
}

// rouse counts w awake; a.asleep and a.woken are for the queue's tests and benchmark.
func (a *app) rouse(w *waiter) {
	if w.asleep {
		w.asleep = false
		a.asleep.Add(-1)
		a.woken.Add(1)
	}
}

func (a *app) refreshUnlessWaking() {
	a.mu.Lock()
	w := a.wake
	a.mu.Unlock()
	if w == nil {
		a.refresh()
	}
}
