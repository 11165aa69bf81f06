package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/docker/docker/api/types/events"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Events streams container lifecycle events for containers with all labels.
// The subscription is active when Events returns.
func (e *Engine) Events(ctx context.Context, labels map[string]string, since time.Time) (<-chan runtime.Event, <-chan error) {
	opts := events.ListOptions{Filters: labelFilters(labels)}
	opts.Filters.Add("type", string(events.ContainerEventType))
	for _, a := range runtime.Actions {
		opts.Filters.Add("event", string(a))
	}
	if !since.IsZero() {
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
	}
	msgs, errs := e.cli.Events(ctx, opts)
	out, outErr := make(chan runtime.Event), make(chan error, 1)
	go e.forwardEvents(ctx, msgs, errs, out, outErr)
	return out, outErr
}

// forwardEvents converts Docker's events until the stream ends, then leaves
// the reason in outErr and closes out.
func (e *Engine) forwardEvents(ctx context.Context, msgs <-chan events.Message, errs <-chan error,
	out chan<- runtime.Event, outErr chan<- error) {
	defer close(out)
	for {
		select {
		case m := <-msgs:
			select {
			case out <- fromEvent(m):
			case <-ctx.Done():
				outErr <- ctx.Err()
				return
			}
		case err := <-errs:
			outErr <- e.eventsError(ctx, err)
			return
		}
	}
}

func (e *Engine) eventsError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the Docker engine closed the event stream (did dockerd restart?): %w", err)
	}
	return fmt.Errorf("following Docker events: %w", e.err(err))
}

// eventAttributes are the attributes of a container event that are not labels.
var eventAttributes = map[string]bool{"name": true, "image": true, "exitCode": true, "signal": true, "execDuration": true}

// fromEvent maps a Docker event; its attributes mix the container's labels
// with the name, image and exit code.
func fromEvent(m events.Message) runtime.Event {
	ev := runtime.Event{
		Action:      runtime.Action(m.Action),
		ContainerID: m.Actor.ID,
		Name:        m.Actor.Attributes["name"],
		Image:       m.Actor.Attributes["image"],
		Time:        time.Unix(0, m.TimeNano),
		Labels:      map[string]string{},
	}
	ev.ExitCode, _ = strconv.Atoi(m.Actor.Attributes["exitCode"])
	for k, v := range m.Actor.Attributes {
		if !eventAttributes[k] {
			ev.Labels[k] = v
		}
	}
	return ev
}
