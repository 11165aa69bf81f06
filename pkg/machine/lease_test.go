package machine

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLeaseDirtyMarkMakesHolderSyncAgain(t *testing.T) {
	l := leases{held: map[string]*lease{}}
	if err := l.acquire(context.Background(), "m"); err != nil {
		t.Fatal(err)
	}
	if l.try("m") {
		t.Fatal("try took a held lease")
	}
	if !l.release("m") {
		t.Fatal("release ignored the dirty mark")
	}
	if l.release("m") {
		t.Fatal("release asked for a second sync")
	}
	if !l.try("m") {
		t.Fatal("try could not take a free lease")
	}
}

func TestLeaseAcquireWaitsForHolderOrContext(t *testing.T) {
	l := leases{held: map[string]*lease{}}
	l.acquire(context.Background(), "m")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.acquire(ctx, "m"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire of a held lease = %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- l.acquire(context.Background(), "m") }()
	l.release("m")
	if err := <-got; err != nil {
		t.Fatalf("acquire after release = %v", err)
	}
}
