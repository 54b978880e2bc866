package cache

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func TestCacheExpires(t *testing.T) {
	clk := &fakeClock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := New[string, int](time.Minute, WithClock[string, int](clk.Now))
	c.Set("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v; want 1, true", v, ok)
	}
	clk.Advance(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Fatal("entry survived its TTL")
	}
	if n := c.Purge(); n != 1 {
		t.Fatalf("Purge() = %d; want 1", n)
	}
}

func TestCacheConcurrentSet(t *testing.T) {
	c := New[int, int](0)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Set(i, i*i)
		}()
	}
	wg.Wait()
	for i := range 16 {
		if v, ok := c.Get(i); !ok || v != i*i {
			t.Errorf("Get(%d) = %d, %v", i, v, ok)
		}
	}
}

func TestAllAllowsReentry(t *testing.T) {
	c := New[string, int](0)
	c.Set("a", 1)
	c.Set("b", 2)
	for k, v := range c.All() {
		c.Set(k+k, v*10) // must not deadlock: All iterates over a snapshot
	}
	if got := c.Len(); got != 4 {
		t.Fatalf("Len() = %d; want 4", got)
	}
}

func TestLRUEvictsLeastRecent(t *testing.T) {
	l := NewLRU[string, int](2)
	l.Add("a", 1)
	l.Add("b", 2)
	l.Get("a")
	if !l.Add("c", 3) {
		t.Fatal("Add over capacity did not evict")
	}
	if _, ok := l.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	if s := l.Stats(); s.Len != 2 || s.Hits != 1 {
		t.Fatalf("Stats() = %+v", s)
	}
}

func BenchmarkCacheGet(b *testing.B) {
	c := New[int, int](0)
	for i := range 1024 {
		c.Set(i, i)
	}
	i := 0
	for b.Loop() {
		c.Get(i & 1023)
		i++
	}
}
