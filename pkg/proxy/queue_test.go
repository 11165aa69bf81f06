package proxy

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"
)

// newQueue is one started machine behind hard_limit = 1: a second request waits.
func newQueue(t testing.TB) (*harness, *app) {
	t.Helper()
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	fm.runNow("3d8d9e3f")
	svc := webService()
	svc.Concurrency = Concurrency{Type: "requests", HardLimit: 1}
	h := newHarness(t, svc, fm, quiet)
	return h, h.p.app(svc.App)
}

func (h *harness) lease(ctx context.Context) (*lease, error) {
	return h.p.acquire(ctx, h.svc, cause{source: "test"})
}

// turn is a waiter's lease, in the order the waiters were served.
type turn struct {
	i int
	l *lease
}

// queueUp starts n waiters that send their lease on the returned channel for the
// caller to release. inOrder makes each join the queue only once the one before it did.
func (h *harness) queueUp(n int, inOrder bool) <-chan turn {
	turns, base := make(chan turn, n), h.p.Metrics().QueueDepth
	for i := range n {
		go func() {
			l, err := h.lease(context.Background())
			if err != nil {
				h.t.Error(err)
			}
			turns <- turn{i, l}
		}()
		if inOrder {
			waitFor(h.t, "the waiter to queue", func() bool { return h.p.Metrics().QueueDepth == base+int64(i+1) })
		}
	}
	waitFor(h.t, "every waiter to queue", func() bool { return h.p.Metrics().QueueDepth == base+int64(n) })
	return turns
}

// serveAll releases first, then each waiter's lease as it arrives, once the waiters
// still queued are all asleep again, and returns the order in which they were served.
func serveAll(t testing.TB, a *app, first *lease, turns <-chan turn, n int) []int {
	settle(t, a, n)
	first.release()
	var order []int
	for i := range n {
		tu := <-turns
		if tu.l == nil {
			t.Fatalf("waiter %d got no lease", tu.i)
		}
		order = append(order, tu.i)
		settle(t, a, n-i-1)
		tu.l.release()
	}
	return order
}

// settle waits until n waiters sleep, so that a release finds every waiter asleep.
func settle(t testing.TB, a *app, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; a.asleep.Load() != int64(n); i++ {
		if i%1024 == 0 && time.Now().After(deadline) {
			t.Fatalf("%d waiters asleep, want %d", a.asleep.Load(), n)
		}
		runtime.Gosched()
	}
}

// TestQueueHandsAFreedSlotToOneWaiterInOrder: behind hard_limit = 1, each release wakes
// the one waiter that gets the slot, the one that came first, not every waiter.
func TestQueueHandsAFreedSlotToOneWaiterInOrder(t *testing.T) {
	const n = 60
	h, a := newQueue(t)
	first, err := h.lease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	turns := h.queueUp(n, true)
	before := a.woken.Load()
	if order := serveAll(t, a, first, turns, n); !slices.Equal(order, countUp(n)) {
		t.Errorf("served in order %v, want first come first served", order)
	}
	if got := a.woken.Load() - before; got != n {
		t.Errorf("%d wakeups for %d waiters, want one each", got, n)
	}
	if !h.settled() {
		t.Error("a lease was not given back")
	}
}

func countUp(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestQueueWaiterThatGivesUpPassesItsSlotOn: a waiter whose client left as the slot was
// freed does not keep it: the next waiter is served, and no lease is left behind.
func TestQueueWaiterThatGivesUpPassesItsSlotOn(t *testing.T) {
	h, _ := newQueue(t)
	first, err := h.lease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		l, err := h.lease(ctx)
		if l != nil {
			l.release()
		}
		gaveUp <- err
	}()
	waitFor(t, "the first waiter to queue", func() bool { return h.p.Metrics().QueueDepth == 1 })
	turns := h.queueUp(1, false) // waits for both to queue
	cancel()                     // the client leaves as the slot is freed: either may come first
	first.release()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("the waiter that gave up got %v, want context.Canceled", err)
	}
	tu := <-turns
	if tu.l == nil {
		t.Fatal("the second waiter was not served")
	}
	tu.l.release()
	waitFor(t, "every lease to come back", h.settled)
}

// BenchmarkQueue queues 10 000 requests behind hard_limit = 1 and then frees the slot
// 10 000 times, each waiter's lease released as soon as it arrives: wakeups/release is
// how many waiters one release woke, ns/release what one hand-off costs.
//
//	go test -run '^$' -bench Queue -benchtime 1x ./pkg/proxy
func BenchmarkQueue(b *testing.B) {
	const n = 10_000
	h, a := newQueue(b)
	var woken uint64
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		first, err := h.lease(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		turns := h.queueUp(n, false)
		settle(b, a, n)
		before, began := a.woken.Load(), time.Now()
		b.StartTimer()
		serveAll(b, a, first, turns, n)
		took += time.Since(began)
		woken += a.woken.Load() - before
	}
	b.ReportMetric(float64(woken)/float64(b.N*n), "wakeups/release")
	b.ReportMetric(float64(took.Nanoseconds())/float64(b.N*n), "ns/release")
}
