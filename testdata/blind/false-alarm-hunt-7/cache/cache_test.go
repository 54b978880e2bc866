package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLRUEvictsOldest(t *testing.T) {
	var evicted []string
	c := NewLRU(2, func(k string, _ int, r EvictReason) {
		evicted = append(evicted, k+":"+r.String())
	})
	c.Add("a", 1)
	c.Add("b", 2)
	c.Get("a")
	c.Add("c", 3)
	if got := strings.Join(evicted, ","); got != "b:capacity" {
		t.Fatalf("evicted = %q", got)
	}
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should be gone")
	}
}

func TestLRUCallbackMayReenter(t *testing.T) {
	var c *LRU[int, int]
	c = NewLRU(1, func(k, v int, _ EvictReason) {
		// The callback runs after the lock is released.
		c.Contains(k)
	})
	for i := range 5 {
		c.Add(i, i*i)
	}
	if c.Len() != 1 {
		t.Fatalf("len = %d", c.Len())
	}
}

func TestTTLExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	c := NewTTL[string, string](time.Minute, 0, WithClock[string, string](clock))
	t.Cleanup(c.Close)
	c.Set("k", "v")
	if v, ok := c.Get("k"); !ok || v != "v" {
		t.Fatalf("get = %q %v", v, ok)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	if _, ok := c.Get("k"); ok {
		t.Fatal("k should have expired")
	}
	if n := c.Sweep(); n != 1 {
		t.Fatalf("swept %d", n)
	}
}

func TestLoadingCacheSharesLoads(t *testing.T) {
	var mu sync.Mutex
	loads := 0
	lc := NewLoading(8, func(ctx context.Context, k string) (int, error) {
		mu.Lock()
		loads++
		mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		return len(k), nil
	}, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := lc.Get(context.Background(), "hello"); err != nil || v != 5 {
				t.Errorf("get = %d, %v", v, err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if loads != 1 {
		t.Fatalf("loads = %d", loads)
	}
}

func TestLoadingCachePanicBecomesError(t *testing.T) {
	lc := NewLoading(1, func(context.Context, string) (int, error) {
		panic("boom")
	}, nil)
	_, err := lc.Get(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v", err)
	}
}

func TestGetWithinTimesOut(t *testing.T) {
	release := make(chan struct{})
	lc := NewLoading(1, func(context.Context, string) (int, error) {
		<-release
		return 1, nil
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err := lc.GetWithin(ctx, "x")
	close(release)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestShardedRangeMayMutate(t *testing.T) {
	s := NewSharded[int](4)
	for i, k := range []string{"a", "b", "c", "d"} {
		s.Store(k, i)
	}
	s.Range(func(k string, v int) bool {
		s.Delete(k)
		return true
	})
	if s.Len() != 0 {
		t.Fatalf("len = %d", s.Len())
	}
}
