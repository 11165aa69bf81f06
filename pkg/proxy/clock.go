package proxy

import (
	"context"
	"time"
)

// Clock is the time source for idle timers, wake timeouts and phase
// durations, so tests move time by hand instead of sleeping. The dial loop's
// millisecond backoff and Close's drain deadline use the wall clock.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop cancels the call and reports whether it was still pending.
	Stop() bool
}

// wallClock is the Clock of a running daemon.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// withTimeout is context.WithTimeoutCause on the proxy's clock: ctx ends
// with cause after d. The returned func releases the timer.
func (p *Proxy) withTimeout(ctx context.Context, d time.Duration, cause error) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	t := p.clock.AfterFunc(d, func() { cancel(cause) })
	return ctx, func() {
		t.Stop()
		cancel(nil)
	}
}
