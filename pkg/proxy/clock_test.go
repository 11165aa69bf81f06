package proxy

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock moves only when a test calls Advance, which runs the callbacks
// that came due, in order, in the caller's goroutine.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c    *fakeClock
	at   time.Time
	f    func()
	done bool
}

var _ Clock = (*fakeClock)(nil)

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	pending := !t.done
	t.done = true
	return pending
}

// Advance moves the clock by d, firing every timer that comes due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for {
		t := c.nextDue(target)
		if t == nil {
			return
		}
		t.f()
	}
}

// nextDue pops the earliest pending timer due by target and moves the clock
// to it; with none it moves the clock to target.
func (c *fakeClock) nextDue(target time.Time) *fakeTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next *fakeTimer
	live := c.timers[:0]
	for _, t := range c.timers {
		if t.done {
			continue
		}
		live = append(live, t)
		if !t.at.After(target) && (next == nil || t.at.Before(next.at)) {
			next = t
		}
	}
	c.timers = live
	if next == nil {
		c.now = target
		return nil
	}
	next.done = true
	if next.at.After(c.now) {
		c.now = next.at
	}
	return next
}

func TestFakeClockFiresInOrderAndHonoursStop(t *testing.T) {
	c := newFakeClock()
	var got []string
	c.AfterFunc(2*time.Second, func() { got = append(got, "b") })
	c.AfterFunc(time.Second, func() {
		got = append(got, "a")
		c.AfterFunc(500*time.Millisecond, func() { got = append(got, "a2") })
	})
	c.AfterFunc(3*time.Second, func() { got = append(got, "never") }).Stop()
	c.Advance(1999 * time.Millisecond)
	if want := "a a2"; strings.Join(got, " ") != want {
		t.Fatalf("after 1.999s fired %q, want %q", strings.Join(got, " "), want)
	}
	c.Advance(5 * time.Second)
	if want := "a a2 b"; strings.Join(got, " ") != want {
		t.Fatalf("after 7s fired %q, want %q", strings.Join(got, " "), want)
	}
}
