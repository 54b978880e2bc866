package lru_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"example.com/falsealarm9/lru"
	"example.com/falsealarm9/testutil"
)

func TestAddEvictsOldest(t *testing.T) {
	var evicted []string
	c, err := lru.New(2, func(k string, _ int) { evicted = append(evicted, k) })
	if err != nil {
		t.Fatal(err)
	}
	c.Add("a", 1)
	c.Add("b", 2)
	c.Get("a")
	c.Add("c", 3)
	if !slices.Equal(evicted, []string{"b"}) {
		t.Fatalf("evicted = %v, want [b]", evicted)
	}
}

func TestAllReleasesLockOnBreak(t *testing.T) {
	c, _ := lru.New[int, int](16, nil)
	for i := range 10 {
		c.Add(i, i*i)
	}
	seen := 0
	for range c.All() {
		seen++
		if seen == 3 {
			break
		}
	}
	// Add takes the write lock: it would deadlock if All leaked its read lock.
	c.Add(100, 1)
	if got := c.Len(); got != 11 {
		t.Fatalf("Len = %d, want 11", got)
	}
}

func TestConcurrentAdd(t *testing.T) {
	defer testutil.NoLeak(t)()
	c, _ := lru.New[int, int](64, nil)
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Add(i, i)
		}()
	}
	wg.Wait()
	for i := range 32 {
		if v, ok := c.Get(i); !ok || v != i {
			t.Errorf("Get(%d) = %d, %v", i, v, ok)
		}
	}
}

func TestLoaderDeduplicates(t *testing.T) {
	ctx := testutil.Context(t)
	c, _ := lru.New[string, int](8, nil)
	var calls atomic.Int32
	l := lru.NewLoader(c, func(context.Context, string) (int, error) {
		calls.Add(1)
		return 42, nil
	})
	for range 3 {
		if v, err := l.Load(ctx, "k"); err != nil || v != 42 {
			t.Fatalf("Load = %d, %v", v, err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("fetch called %d times", calls.Load())
	}
}

func TestLoaderPanicBecomesError(t *testing.T) {
	c, _ := lru.New[string, int](8, nil)
	l := lru.NewLoader(c, func(context.Context, string) (int, error) { panic("boom") })
	if _, err := l.Load(testutil.Context(t), "k"); err == nil {
		t.Fatal("want error from panicking fetch")
	}
	if _, err := c.GetOrLoad("x", func(string) (int, error) { return 0, errors.New("nope") }); err == nil {
		t.Fatal("want load error")
	}
}
