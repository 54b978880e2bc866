package cache

import (
	"slices"
	"testing"
	"time"
)

func TestCachePutGetDelete(t *testing.T) {
	c := New[string, int](time.Minute)
	c.Put("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v", v, ok)
	}
	if !c.Delete("a") {
		t.Fatal("Delete(a) reported absent")
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("a still present after Delete")
	}
}

func TestCacheExpiry(t *testing.T) {
	c := New[string, int](time.Second)
	base := time.Unix(1000, 0)
	c.now = func() time.Time { return base }
	c.Put("a", 1)
	c.now = func() time.Time { return base.Add(2 * time.Second) }
	if _, ok := c.Get("a"); ok {
		t.Fatal("expired entry returned")
	}
}

func TestGetOrCompute(t *testing.T) {
	c := New[int, string](time.Minute)
	calls := 0
	compute := func(k int) string { calls++; return "v" }
	for range 3 {
		if got := c.GetOrCompute(7, compute); got != "v" {
			t.Fatalf("GetOrCompute = %q", got)
		}
	}
	if calls != 1 {
		t.Fatalf("compute ran %d times, want 1", calls)
	}
}

func TestCounterRemainingAndRelease(t *testing.T) {
	c := NewCounter[string](3)
	if got := c.Remaining("k"); got != 3 {
		t.Fatalf("Remaining = %d, want 3", got)
	}
	c.Release("k")
	if got := len(c.Reset()); got != 0 {
		t.Fatalf("Reset returned %d keys, want 0", got)
	}
}

func TestSetAddIf(t *testing.T) {
	s := NewSet(1)
	added := s.AddIf([]int{1, 2, 3, 4}, func(n int) bool { return n%2 == 0 })
	if added != 2 {
		t.Fatalf("AddIf added %d, want 2", added)
	}
	got := s.Members()
	slices.Sort(got)
	if want := []int{1, 2, 4}; !slices.Equal(got, want) {
		t.Fatalf("Members = %v, want %v", got, want)
	}
}

func TestQueuePushPopDrain(t *testing.T) {
	q := NewQueue[int]()
	q.Push(1)
	q.Push(2)
	q.Push(3)
	if v := q.Pop(); v != 1 {
		t.Fatalf("Pop = %d, want 1", v)
	}
	var got []int
	if n := q.DrainInto(func(v int) { got = append(got, v) }); n != 2 {
		t.Fatalf("DrainInto = %d, want 2", n)
	}
	if q.Len() != 0 {
		t.Fatalf("Len = %d after drain", q.Len())
	}
}

func TestShardedPutGet(t *testing.T) {
	m := NewSharded[int, string](4, func(k int) uint64 { return uint64(k) })
	m.Put(1, "a")
	m.Put(6, "b")
	if v, ok := m.Get(6); !ok || v != "b" {
		t.Fatalf("Get(6) = %q, %v", v, ok)
	}
	if m.Len() != 2 {
		t.Fatalf("Len = %d", m.Len())
	}
}

func TestCacheForEach(t *testing.T) {
	c := New[string, int](time.Minute)
	c.Put("a", 1)
	c.Put("b", 2)
	sum := 0
	c.ForEach(func(k string, v int) {
		sum += v
		c.Put(k+"'", v)
	})
	if sum != 3 {
		t.Fatalf("sum = %d", sum)
	}
}
