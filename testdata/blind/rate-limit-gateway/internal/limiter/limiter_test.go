package limiter

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestTokenBucketRefill(t *testing.T) {
	clk := newFakeClock()
	b := NewTokenBucket(2, 1, clk.Now)
	if !b.Allow() || !b.Allow() {
		t.Fatal("a full bucket of 2 must allow two requests")
	}
	if b.Allow() {
		t.Fatal("empty bucket allowed a request")
	}
	clk.Advance(1500 * time.Millisecond)
	if !b.Allow() {
		t.Fatal("bucket did not refill")
	}
}

func TestReserveWait(t *testing.T) {
	clk := newFakeClock()
	b := NewTokenBucket(4, 2, clk.Now)
	if _, ok := b.Reserve(5); ok {
		t.Fatal("reservation above burst must fail")
	}
	wait, ok := b.Reserve(4)
	if !ok || wait != 0 {
		t.Fatalf("Reserve(4) = %v, %v", wait, ok)
	}
	wait, _ = b.Reserve(2)
	if wait != time.Second {
		t.Fatalf("wait = %v, want 1s", wait)
	}
}

func TestSlidingWindowRecord(t *testing.T) {
	clk := newFakeClock()
	w := NewSlidingWindow(3, time.Minute, clk.Now)
	for i := 0; i < 3; i++ {
		if !w.Record() {
			t.Fatalf("hit %d rejected", i)
		}
	}
	if w.Record() {
		t.Fatal("fourth hit accepted")
	}
	clk.Advance(61 * time.Second)
	if used, _ := w.Stats(); used != 0 {
		t.Fatalf("used = %d after the window passed", used)
	}
}

func TestRegistryConcurrentCheck(t *testing.T) {
	reg := NewRegistry(Policy{Burst: 100, PerSecond: 0}, newFakeClock().Now)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if reg.Check("acme").Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("allowed = %d, want exactly the burst of 100", allowed)
	}
}
