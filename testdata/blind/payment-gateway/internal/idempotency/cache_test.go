package idempotency

import (
	"context"
	"testing"
	"time"
)

func TestReserveCompleteLookup(t *testing.T) {
	c := New(time.Minute)
	if e, err := c.Reserve("k1", "fp"); err != nil || e != nil {
		t.Fatalf("first reserve = %v, %v", e, err)
	}
	if _, err := c.Reserve("k1", "fp"); err != ErrInFlight {
		t.Fatalf("second reserve err = %v, want ErrInFlight", err)
	}
	c.Complete("k1", 201, []byte(`{"id":"ch_1"}`))
	e, ok := c.Lookup("k1")
	if !ok || e.Status != 201 {
		t.Fatalf("lookup = %+v, %v", e, ok)
	}
	if _, err := c.Reserve("k1", "other"); err != ErrFingerprintMismatch {
		t.Fatalf("mismatch err = %v", err)
	}
}

func TestPruneAndJanitor(t *testing.T) {
	c := New(time.Millisecond)
	now := time.Now()
	c.now = func() time.Time { return now }
	c.Reserve("a", "fp")
	now = now.Add(time.Second)
	if n := c.Prune(); n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := c.StartJanitor(ctx, time.Millisecond)
	cancel()
	<-done
}

func TestMergeSkipsSelf(t *testing.T) {
	a, b := New(time.Minute), New(time.Minute)
	b.Reserve("x", "fp")
	if n := a.Merge(b); n != 1 {
		t.Fatalf("merged %d", n)
	}
	if n := a.Merge(a); n != 0 {
		t.Fatalf("self merge %d", n)
	}
}
