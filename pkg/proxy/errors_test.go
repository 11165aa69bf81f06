package proxy

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("no app for host x: %w", ErrNoRoute), 404},
		{fmt.Errorf("%w: app a serves organization network fdaa:1:1::/48 only", ErrOtherOrg), 403},
		{fmt.Errorf("app a: machine m %w: EOF", ErrUpstream), 502},
		{fmt.Errorf("app a %w: machine m exited with code 1", ErrStartFailed), 503},
		{fmt.Errorf("app a has %w", ErrAutoStartOff), 503},
		{fmt.Errorf("app a has %w", ErrNoMachines), 503},
		{fmt.Errorf("app a: %w: disk I/O error", ErrMachineList), 503},
		{fmt.Errorf("app a: %w (10000)", ErrQueueFull), 503},
		{ErrClosed, 503},
		{fmt.Errorf("app a: %w: machine m did not start within 1m0s", ErrWakeTimeout), 504},
		{context.Canceled, statusClientGone},
	}
	for _, tt := range tests {
		if got := statusOf(tt.err); got != tt.want {
			t.Errorf("statusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	if got := oneLine("machine m exited with code 1: panic: boom\n\ngoroutine 1 [running]:\r\n\tmain.main()"); got !=
		"machine m exited with code 1: panic: boom goroutine 1 [running]: main.main()" {
		t.Errorf("oneLine = %q", got)
	}
}

func TestHistogramBuckets(t *testing.T) {
	var h histogram
	for _, d := range []time.Duration{0, 100 * time.Microsecond, 101 * time.Microsecond, 3 * time.Millisecond, time.Hour} {
		h.observe(d)
	}
	s := h.snapshot()
	want := map[time.Duration]uint64{100 * time.Microsecond: 2, 250 * time.Microsecond: 1, 5 * time.Millisecond: 1}
	for i, b := range s.Bounds {
		if s.Counts[i] != want[b] {
			t.Errorf("bucket ≤ %v holds %d, want %d", b, s.Counts[i], want[b])
		}
	}
	if inf := s.Counts[len(s.Bounds)]; inf != 1 || s.Count != 5 {
		t.Errorf("+Inf bucket %d, count %d; want 1, 5", inf, s.Count)
	}
	if wantSum := time.Hour + 3*time.Millisecond + 201*time.Microsecond; s.Sum != wantSum {
		t.Errorf("sum %v, want %v", s.Sum, wantSum)
	}
}
