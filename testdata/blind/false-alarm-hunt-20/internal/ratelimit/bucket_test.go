package ratelimit

import (
	"testing"
	"time"
)

func newTestBucket(t *testing.T, capacity int, rate float64) (*Bucket, *time.Time) {
	t.Helper()
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBucket(capacity, rate)
	b.last = clock
	b.now = func() time.Time { return clock }
	return b, &clock
}

func TestTakeRefills(t *testing.T) {
	b, clock := newTestBucket(t, 2, 1)
	if !b.Take(2) {
		t.Fatal("full bucket refused 2 tokens")
	}
	if b.Take(1) {
		t.Fatal("empty bucket granted a token")
	}
	*clock = clock.Add(1500 * time.Millisecond)
	if !b.Take(1) {
		t.Fatal("no token after 1.5s at 1/s")
	}
}

func TestSweepForgetsIdleClients(t *testing.T) {
	k := NewKeyed(3, 1000, 10)
	k.Bucket("10.0.0.1").Take(3)
	k.Bucket("10.0.0.2")
	t.Cleanup(func() {
		if n := k.Len(); n > 2 {
			t.Errorf("tracked %d clients, want at most 2", n)
		}
	})
	time.Sleep(10 * time.Millisecond)
	if n := k.Sweep(); n != 2 {
		t.Fatalf("Sweep removed %d, want 2", n)
	}
}
