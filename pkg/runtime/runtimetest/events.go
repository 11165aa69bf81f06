package runtimetest

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// eventBuffer is how many unread events a subscription holds before it ends.
const eventBuffer = 1024

// errSlowReader ends a subscription whose reader fell behind.
var errSlowReader = errors.New("runtimetest: event buffer full: read the events or cancel the subscription")

// subscriber is one Events call; the engine's lock guards it.
type subscriber struct {
	labels map[string]string
	events chan runtime.Event
	errs   chan error
	ended  bool
}

// Events replays the events since since (none when zero), then streams new
// ones until ctx ends or CloseEvents is called.
func (e *Engine) Events(ctx context.Context, labels map[string]string, since time.Time) (<-chan runtime.Event, <-chan error) {
	s := &subscriber{labels: labels, events: make(chan runtime.Event, eventBuffer), errs: make(chan error, 1)}
	if err := e.begin("Events", ""); err != nil {
		s.end(err)
		return s.events, s.errs
	}
	defer e.mu.Unlock()
	for _, ev := range e.history {
		if !since.IsZero() && !ev.Time.Before(since) && hasLabels(ev.Labels, labels) {
			s.send(ev)
		}
	}
	e.subs = append(e.subs, s)
	context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		s.end(ctx.Err())
	})
	return s.events, s.errs
}

// CloseEvents ends every subscription with err, as a daemon restart would.
func (e *Engine) CloseEvents(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.subs {
		s.end(err)
	}
	e.subs = nil
}

// emit records an event about c and sends it to matching subscribers.
func (e *Engine) emit(c *container, action runtime.Action) {
	ev := runtime.Event{Action: action, ContainerID: c.ID, Name: c.Name, Image: c.Image,
		Labels: maps.Clone(c.Labels), Time: e.now()}
	if action == runtime.ActionDie {
		ev.ExitCode = c.ExitCode
	}
	e.history = append(e.history, ev)
	live := e.subs[:0]
	for _, s := range e.subs {
		if hasLabels(ev.Labels, s.labels) {
			s.send(ev)
		}
		if !s.ended {
			live = append(live, s)
		}
	}
	e.subs = live
}

func (s *subscriber) send(ev runtime.Event) {
	if s.ended {
		return
	}
	select {
	case s.events <- ev:
	default:
		s.end(errSlowReader)
	}
}

// end leaves err for the reader and closes the event channel, once.
func (s *subscriber) end(err error) {
	if s.ended {
		return
	}
	s.ended = true
	s.errs <- err
	close(s.events)
}
