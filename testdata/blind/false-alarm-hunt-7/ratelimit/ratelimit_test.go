package ratelimit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBucketAllowN(t *testing.T) {
	b := NewBucket(0, 3)
	if !b.AllowN(3) || b.Allow() {
		t.Fatal("burst not enforced")
	}
}

func TestWaitHonoursContext(t *testing.T) {
	b := NewBucket(0.001, 1)
	b.Allow()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestWindowDenies(t *testing.T) {
	denied := 0
	w := NewWindow(2, time.Minute, OnDeny(func(time.Time) { denied++ }))
	for range 3 {
		w.Allow()
	}
	if denied != 1 || w.Remaining() != 0 {
		t.Fatalf("denied=%d remaining=%d", denied, w.Remaining())
	}
}

func TestKeyedForget(t *testing.T) {
	k := NewKeyed(1, 1, time.Minute)
	now := time.Unix(0, 0)
	k.now = func() time.Time { return now }
	k.Allow("a")
	now = now.Add(2 * time.Minute)
	if n := k.Forget(); n != 1 || k.Size() != 0 {
		t.Fatalf("forgot %d, size %d", n, k.Size())
	}
}
