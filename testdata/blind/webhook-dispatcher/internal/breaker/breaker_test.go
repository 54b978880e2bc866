package breaker

import (
	"testing"
	"time"
)

func fakeClock(t0 time.Time) (func() time.Time, func(time.Duration)) {
	now := t0
	return func() time.Time { return now }, func(d time.Duration) { now = now.Add(d) }
}

func TestOpensAfterThreshold(t *testing.T) {
	b := New(3, time.Minute)
	for i := 0; i < 2; i++ {
		b.Failure()
		if !b.Allow() {
			t.Fatalf("breaker opened after %d failures", i+1)
		}
	}
	b.Failure()
	if b.Allow() {
		t.Fatal("breaker still closed after threshold")
	}
	if got := b.State(); got != Open {
		t.Fatalf("state = %v, want open", got)
	}
}

func TestHalfOpenAllowsSingleProbe(t *testing.T) {
	b := New(1, time.Minute)
	now, advance := fakeClock(time.Unix(1700000000, 0))
	b.now = now
	b.Failure()
	advance(2 * time.Minute)
	if !b.Allow() {
		t.Fatal("probe not allowed after cooldown")
	}
	if b.Allow() {
		t.Fatal("second concurrent probe allowed")
	}
	b.Success()
	if b.State() != Closed {
		t.Fatal("probe success did not close the breaker")
	}
}

func TestSetSharesBreakerPerHost(t *testing.T) {
	s := NewSet(1, time.Minute)
	a := s.For("https://hooks.example.com/a")
	b := s.For("https://HOOKS.example.com/b")
	if a != b {
		t.Fatal("same host got two breakers")
	}
	a.Failure()
	if !s.Reset("https://hooks.example.com/c") {
		t.Fatal("Reset did not find the host")
	}
	if a.State() != Closed {
		t.Fatal("Reset did not close the breaker")
	}
}
