package breaker

import (
	"errors"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
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

func newTestBreaker(t *testing.T, threshold int) (*Breaker, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Unix(1700000000, 0)}
	b := New(Settings{Name: "test", FailureThreshold: threshold, OpenTimeout: time.Second})
	b.now = clk.Now
	return b, clk
}

func TestBreakerOpensAfterThreshold(t *testing.T) {
	b, _ := newTestBreaker(t, 3)
	boom := errors.New("boom")
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("call %d rejected before threshold", i)
		}
		b.Record(boom)
	}
	if got := b.State(); got != StateOpen {
		t.Fatalf("state = %v, want open", got)
	}
	if b.Allow() {
		t.Fatal("open breaker admitted a call")
	}
}

func TestBreakerHalfOpenProbe(t *testing.T) {
	b, clk := newTestBreaker(t, 1)
	b.Record(errors.New("down"))
	clk.Advance(2 * time.Second)
	if !b.Allow() {
		t.Fatal("half-open breaker rejected the first probe")
	}
	if b.Allow() {
		t.Fatal("half-open breaker admitted a second probe")
	}
	b.Record(nil)
	if got := b.State(); got != StateClosed {
		t.Fatalf("state = %v, want closed", got)
	}
}

func TestBreakerConcurrentRecord(t *testing.T) {
	b, _ := newTestBreaker(t, 1000)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(fail bool) {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if fail {
					b.Record(errors.New("x"))
				} else {
					b.Record(nil)
				}
			}
		}(i%2 == 0)
	}
	wg.Wait()
	if c := b.Counts(); c.State == "" {
		t.Fatal("empty state name")
	}
}
