package storage

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestBackoffNextIsBounded(t *testing.T) {
	b := NewBackoff(10*time.Millisecond, 80*time.Millisecond)
	for i := 0; i < 20; i++ {
		if d := b.Next(); d < 0 || d > 80*time.Millisecond {
			t.Fatalf("attempt %d: delay %s out of bounds", i, d)
		}
	}
	if got := b.Attempt(); got != 20 {
		t.Fatalf("Attempt() = %d, want 20", got)
	}
	b.Reset()
	if got := b.Attempt(); got != 0 {
		t.Fatalf("after Reset, Attempt() = %d", got)
	}
}

func TestRetryStopsOnSuccess(t *testing.T) {
	calls := 0
	err := Retry(context.Background(), 5, NewBackoff(time.Millisecond, 2*time.Millisecond), func(context.Context) error {
		calls++
		if calls < 3 {
			return &APIError{StatusCode: http.StatusServiceUnavailable}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("Retry = %v after %d calls, want nil after 3", err, calls)
	}
}

func TestRetryDoesNotRetryPermanent(t *testing.T) {
	want := errors.New("bad request")
	calls := 0
	err := Retry(context.Background(), 5, NewBackoff(time.Millisecond, time.Millisecond), func(context.Context) error {
		calls++
		return Permanent(want)
	})
	if !errors.Is(err, want) || calls != 1 {
		t.Fatalf("Retry = %v after %d calls", err, calls)
	}
}

func TestRetryHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Retry(ctx, 5, NewBackoff(time.Second, time.Second), func(context.Context) error {
		return &APIError{StatusCode: http.StatusTooManyRequests}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Retry = %v, want context.Canceled", err)
	}
}

func TestRetryAfter(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"3", 3 * time.Second},
		{"-1", 0},
		{"soon", 0},
		{"999", 10 * time.Second},
	}
	for _, tc := range cases {
		if got := RetryAfter(tc.in, 10*time.Second); got != tc.want {
			t.Errorf("RetryAfter(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
