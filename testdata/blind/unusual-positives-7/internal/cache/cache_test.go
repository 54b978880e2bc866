package cache

import (
	"errors"
	"testing"
	"time"
)

func TestRefreshLoadsOnce(t *testing.T) {
	calls := 0
	c := New[string, int](time.Minute, func(k string) (int, error) {
		calls++
		return len(k), nil
	})
	for i := 0; i < 3; i++ {
		v, err := c.Refresh("abcd")
		if err != nil {
			t.Fatal(err)
		}
		if v != 4 {
			t.Fatalf("got %d, want 4", v)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times", calls)
	}
}

func TestRefreshError(t *testing.T) {
	boom := errors.New("boom")
	c := New[string, int](time.Minute, func(string) (int, error) { return 0, boom })
	if _, err := c.Refresh("x"); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if c.Len() != 0 {
		t.Fatal("failed load was cached")
	}
}

func TestPoolTryGet(t *testing.T) {
	p := NewPool(2, func() []byte { return make([]byte, 0, 16) }).
		WithReset(func(b *[]byte) { *b = (*b)[:0] })
	p.Put([]byte("abc"))
	b, ok := p.TryGet()
	if !ok || len(b) != 0 {
		t.Fatalf("got %q %v", b, ok)
	}
	if _, ok := p.TryGet(); ok {
		t.Fatal("pool should be empty")
	}
}

func TestShardedSnapshot(t *testing.T) {
	s := NewSharded[int, string](4, func(k int) uint64 { return uint64(k) })
	for i := 0; i < 10; i++ {
		s.Store(i, "v")
	}
	defer func() {
		if t.Failed() {
			t.Logf("shards: %d", len(s.shards))
		}
	}()
	if got := len(s.Snapshot()); got != 10 {
		t.Fatalf("snapshot has %d entries", got)
	}
}

func TestBatcherTryAddDrops(t *testing.T) {
	b := NewBatcher[int](2)
	b.TryAdd(1)
	if b.TryAdd(2) {
		t.Fatal("nobody is reading, batch cannot be delivered")
	}
	if b.Dropped() != 2 {
		t.Fatalf("dropped %d", b.Dropped())
	}
}
