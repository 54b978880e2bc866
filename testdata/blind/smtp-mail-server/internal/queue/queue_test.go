package queue

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	cases := map[int]time.Duration{0: time.Minute, 1: 2 * time.Minute, 3: 8 * time.Minute, 8: 4 * time.Hour, 30: 4 * time.Hour}
	for attempts, want := range cases {
		if got := Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestDomainLimiter(t *testing.T) {
	l := NewDomainLimiter(1)
	release, err := l.Acquire(context.Background(), "example.net")
	if err != nil {
		t.Fatal(err)
	}
	other, err := l.Acquire(context.Background(), "example.org")
	if err != nil {
		t.Fatal(err)
	}
	other()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := l.Acquire(ctx, "example.net"); err == nil {
		t.Fatal("Acquire did not honour the context")
	}
	release()
	if got := l.InFlight()["example.net"]; got != 0 {
		t.Fatalf("in flight after release = %d", got)
	}
}
