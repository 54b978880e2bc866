package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestReserveRefills(t *testing.T) {
	clock := time.Unix(1_700_000_000, 0)
	l := New(1, 2)
	l.now = func() time.Time { return clock }
	if d := l.Reserve("acme"); d != 0 {
		t.Fatalf("first reserve waited %v", d)
	}
	l.Reserve("acme")
	if d := l.Reserve("acme"); d != time.Second {
		t.Fatalf("third reserve = %v, want 1s", d)
	}
	clock = clock.Add(3 * time.Second)
	if d := l.Reserve("acme"); d != 0 {
		t.Fatalf("after refill = %v, want 0", d)
	}
}

func TestAcquireRelease(t *testing.T) {
	l := New(10, 10)
	func() {
		defer l.Acquire("acme")()
		if got := l.Inflight("acme"); got != 1 {
			t.Errorf("inflight inside = %d, want 1", got)
		}
	}()
	if got := l.Inflight("acme"); got != 0 {
		t.Fatalf("inflight after = %d, want 0", got)
	}
}

func TestTryAcquireCap(t *testing.T) {
	l := New(10, 10)
	var releases []func()
	for i := 0; i < 3; i++ {
		rel, ok := l.TryAcquire("acme", 2)
		if i < 2 && !ok {
			t.Fatalf("acquire %d refused", i)
		}
		if i == 2 && ok {
			t.Fatalf("acquire %d allowed past cap", i)
		}
		if ok {
			releases = append(releases, rel)
		}
	}
	for _, rel := range releases {
		rel()
		rel() // idempotent
	}
	if got := l.Inflight("acme"); got != 0 {
		t.Fatalf("inflight = %d", got)
	}
}

func TestWaitCancelled(t *testing.T) {
	l := New(0.001, 1)
	l.Reserve("acme")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx, "acme"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v", err)
	}
}

func TestConcurrentReserve(t *testing.T) {
	l := New(1000, 1000)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 50; n++ {
				l.Reserve("tenant-" + string(rune('a'+i)))
			}
		}()
	}
	wg.Wait()
	if got := len(l.Tenants()); got != 8 {
		t.Fatalf("tenants = %d, want 8", got)
	}
}
