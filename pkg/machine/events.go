package machine

import (
	"context"
	"errors"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// Run keeps machine records true to the engine until ctx ends. It
// subscribes to the events of hangar's containers before it reconciles, so
// nothing that happens in between is missed, then applies each event by
// reading the container it concerns, and cools sleeping machines (cool.go). When the stream ends (dockerd
// restarted), it waits a bounded, growing pause, resubscribes from the last
// event it saw and reconciles again. It returns nil when ctx ends.
func (m *Manager) Run(ctx context.Context) error {
	cooled := make(chan struct{})
	go func() { defer close(cooled); m.cool(ctx) }()
	defer func() { <-cooled }()
	var since time.Time
	delay, recovered := m.backoff[0], false
	for {
		events, errs := m.engine.Events(ctx, m.managedLabels(), since)
		recovered = m.adopt(ctx, recovered)
		m.recoverOne.Do(func() { close(m.recovered) })
		last, n, err := m.follow(ctx, events, errs)
		if ctx.Err() != nil {
			return nil
		}
		if n > 0 {
			since, delay = last, m.backoff[0]
		}
		m.log.Warn("container events stopped; subscribing again", "error", err, "in", delay)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, m.backoff[1])
	}
}

// Recovered is closed once Run has reconciled for the first time, so what an
// earlier agent left (a crash's half-made machine, an interrupted replacement)
// is settled; it stays open while Run has not begun.
func (m *Manager) Recovered() <-chan struct{} { return m.recovered }

// adopt reconciles: fully (crash recovery included) until that has
// succeeded once, then only syncing records with containers.
func (m *Manager) adopt(ctx context.Context, recovered bool) bool {
	var err error
	if recovered {
		err = m.reconcile(ctx, false)
	} else {
		err = m.Reconcile(ctx)
	}
	if err != nil && ctx.Err() == nil {
		m.log.Warn("reconciling machines with their containers", "error", err)
	}
	return recovered || err == nil
}

// follow applies events until the stream ends and returns the time of the last one.
func (m *Manager) follow(ctx context.Context, events <-chan runtime.Event, errs <-chan error) (time.Time, int, error) {
	var last time.Time
	n := 0
	for ev := range events {
		m.apply(ctx, ev)
		last, n = ev.Time, n+1
	}
	return last, n, <-errs
}

// apply syncs the machine an event concerns; if an operation holds the
// machine, the holder syncs it when it lets go.
func (m *Manager) apply(ctx context.Context, ev runtime.Event) {
	id := ev.Labels[LabelMachine]
	if id == "" || !m.leases.try(id) {
		return
	}
	defer m.letGo(ctx, id)
	var err error
	if ev.Labels[LabelRole] == RoleSandbox {
		err = m.sandboxEvent(ctx, id, ev.ContainerID)
	} else {
		_, err = m.sync(ctx, id)
	}
	if err != nil && !errors.Is(err, state.ErrMachineNotFound) && ctx.Err() == nil {
		m.log.Warn("applying a container event", "machine", id, "action", ev.Action, "error", err)
	}
}
