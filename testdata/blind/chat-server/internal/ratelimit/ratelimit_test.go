package ratelimit

import (
	"context"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestBucket(rate float64, burst int) (*Bucket, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1700000000, 0)}
	b := NewBucket(rate, burst)
	b.now = clk.now
	b.last = clk.t
	return b, clk
}

func TestBucketBurstThenRefill(t *testing.T) {
	b, clk := newTestBucket(2, 3)
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("token %d denied within burst", i)
		}
	}
	if b.Allow() {
		t.Fatal("allowed beyond burst")
	}
	clk.advance(500 * time.Millisecond)
	if !b.Allow() {
		t.Fatal("no token after refill")
	}
}

func TestWaitHonoursContext(t *testing.T) {
	b := NewBucket(0.001, 1)
	if !b.Allow() {
		t.Fatal("first token denied")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx); err == nil {
		t.Fatal("Wait returned without a token")
	}
}

func TestLimiterPerKey(t *testing.T) {
	l := NewLimiter(1, 1)
	if !l.Allow("a") || !l.Allow("b") {
		t.Fatal("fresh keys must be allowed")
	}
	if l.Allow("a") {
		t.Fatal("second token for a allowed")
	}
	l.Forget("a")
	if l.Len() != 1 {
		t.Fatalf("Len = %d, want 1", l.Len())
	}
}
