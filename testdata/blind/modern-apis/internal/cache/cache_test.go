package cache

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestLRUEviction(t *testing.T) {
	var evicted []int
	c := NewLRU(2, func(k, _ int) { evicted = append(evicted, k) })
	for i := range 3 {
		c.Put(i, i*i)
	}
	if _, ok := c.Get(0); ok {
		t.Fatal("key 0 should have been evicted")
	}
	if len(evicted) != 1 || evicted[0] != 0 {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestLRUGetOrCompute(t *testing.T) {
	c := NewLRU[string, int](8, nil)
	calls := 0
	load := func(k string) (int, error) {
		calls++
		return strconv.Atoi(k)
	}
	for range 3 {
		if v, err := c.GetOrCompute("42", load); err != nil || v != 42 {
			t.Fatalf("got %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("load called %d times", calls)
	}
}

func TestShardedConcurrent(t *testing.T) {
	s := NewSharded[int, int](4)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 100 {
				s.Update(i, func(old int, _ bool) int { return old + w })
			}
		})
	}
	wg.Wait()
	if got := s.Len(); got != 100 {
		t.Fatalf("Len = %d", got)
	}
	keys := SortedKeys(s, cmp.Compare[int])
	if keys[0] != 0 || keys[99] != 99 {
		t.Fatalf("keys = %v..%v", keys[0], keys[99])
	}
}

func TestTTLExpiry(t *testing.T) {
	c := NewTTL[string, string](t.Context(), time.Minute)
	defer c.Close()
	now := time.Unix(1_700_000_000, 0)
	c.now = func() time.Time { return now }
	c.Set("a", "1")
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Fatal("entry should have expired")
	}
	if n := c.Sweep(); n != 1 {
		t.Fatalf("Sweep = %d", n)
	}
}

func TestTTLSetAll(t *testing.T) {
	c := NewTTL[string, int](t.Context(), time.Hour)
	defer c.Close()
	in := map[string]int{"a": 1, "b": 2, "c": 3}
	if n := c.SetAll(maps.All(in)); n != 3 {
		t.Fatalf("SetAll = %d", n)
	}
	got := maps.Collect(c.Live())
	if !maps.Equal(got, in) {
		t.Fatalf("Live = %v", got)
	}
}

func TestGroupDedup(t *testing.T) {
	var g Group[string, int]
	defer g.Close()
	release := make(chan struct{})
	var calls int
	var mu sync.Mutex
	fn := func(context.Context) (int, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		<-release
		return 7, nil
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if v, err := g.Do(t.Context(), "k", fn); err != nil || v != 7 {
				t.Errorf("Do = %d, %v", v, err)
			}
		})
	}
	time.Sleep(10 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls != 1 {
		t.Fatalf("calls = %d", calls)
	}
}

func TestLazy(t *testing.T) {
	boom := errors.New("boom")
	l := NewLazy(func() (int, error) { return 0, boom })
	for range 2 {
		if _, err := l.Get(); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
	}
}

func TestTableLRU(t *testing.T) {
	cases := []struct {
		name string
		cap  int
		puts int
		want int
	}{
		{"under", 4, 2, 2},
		{"exact", 4, 4, 4},
		{"over", 4, 9, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewLRU[int, int](tc.cap, nil)
			defer c.Resize(tc.cap)
			for i := range tc.puts {
				c.Put(i, i)
			}
			if got := c.Len(); got != tc.want {
				t.Fatalf("Len = %d, want %d", got, tc.want)
			}
		})
	}
}

func BenchmarkLRUGet(b *testing.B) {
	c := NewLRU[int, int](1024, nil)
	for i := range 1024 {
		c.Put(i, i)
	}
	i := 0
	for b.Loop() {
		c.Get(i & 1023)
		i++
	}
}

func BenchmarkShardedStore(b *testing.B) {
	s := NewSharded[int, int](16)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			s.Store(i, i)
			i++
		}
	})
}
