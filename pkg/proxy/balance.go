package proxy

import (
	"context"
	"math/rand/v2"
	"time"
)

// scaleOutPause keeps a failing machine from being restarted on every
// request while the others are at their soft limit.
const scaleOutPause = 5 * time.Second

// acquire leases the least-loaded machine that serves the service's
// internal port, waiting in the app's queue while one wakes.
func (p *Proxy) acquire(ctx context.Context, svc Service, c cause) (*lease, error) {
	if p.closing.Load() {
		return nil, ErrClosed
	}
	a := p.app(svc.App)
	a.refreshIfChanged()
	a.mu.Lock()
	a.use(svc)
	l := a.tryLease(svc, c)
	a.mu.Unlock()
	if l != nil {
		return l, nil
	}
	return a.await(ctx, svc, c)
}

// tryLease leases a machine if one can take more, and starts waking another
// when all are at their soft limit. Called with a.mu held.
func (a *app) tryLease(svc Service, c cause) *lease {
	m, busy := a.pick(svc)
	if busy {
		a.scaleOut(svc, c)
	}
	if m == nil {
		return nil
	}
	m.active++
	l := &lease{app: a, m: m, addr: m.addr}
	if w := m.startedBy(); w != nil && !w.firstSeen.Load() {
		l.wake = w
	}
	return l
}

// pick returns the least-loaded reachable machine below its hard limit,
// random among equals, and whether every reachable machine is at or over its
// soft limit (its hard one when no soft limit is set).
func (a *app) pick(svc Service) (best *machine, busy bool) {
	soft, hard := svc.Concurrency.SoftLimit, svc.Concurrency.HardLimit
	n, over, ties := 0, 0, 0
	for _, m := range a.machines {
		if !m.reachable(svc.InternalPort) {
			continue
		}
		n++
		if soft > 0 && m.active >= soft || hard > 0 && m.active >= hard {
			over++
		}
		switch {
		case hard > 0 && m.active >= hard:
		case best == nil || m.active < best.active:
			best, ties = m, 1
		case m.active == best.active:
			ties++
			if rand.IntN(ties) == 0 {
				best = m
			}
		}
	}
	return best, n > 0 && over == n
}

// scaleOut starts waking one more machine while requests keep going to the
// busy ones; one wake per app at a time, and none of a machine the proxy is
// stopping: the busy ones serve sooner than it would.
func (a *app) scaleOut(svc Service, c cause) {
	if a.wake != nil || !svc.AutoStart || a.p.clock.Now().Before(a.quietUntil) {
		return
	}
	if m := a.wakeCandidate(svc.InternalPort); m != nil && !m.stopping() {
		c.reason = "soft_limit"
		_ = a.startWake(m, svc, c)
	}
}
