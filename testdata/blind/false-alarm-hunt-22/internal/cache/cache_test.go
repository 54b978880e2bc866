package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestGetSetExpireSweep(t *testing.T) {
	var evicted []string
	c := New(time.Minute, func(k string) { evicted = append(evicted, k) })
	now := time.Unix(1_700_000_000, 0)
	c.now = func() time.Time { return now }

	c.Set("a", []byte("1"))
	if v, ok := c.Get("a"); !ok || string(v) != "1" {
		t.Fatalf("Get(a) = %q, %v", v, ok)
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Fatal("entry should have expired")
	}
	if n := c.Sweep(); n != 1 {
		t.Fatalf("Sweep removed %d, want 1", n)
	}
	if len(evicted) != 1 || evicted[0] != "a" {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestGetOrLoadCachesOnlySuccess(t *testing.T) {
	c := New(time.Minute, nil)
	calls := 0
	load := func(context.Context) ([]byte, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("backend down")
		}
		return []byte("v"), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.GetOrLoad(ctx, "k", load); err == nil {
		t.Fatal("first load should fail")
	}
	for range 3 {
		if v, err := c.GetOrLoad(ctx, "k", load); err != nil || string(v) != "v" {
			t.Fatalf("GetOrLoad = %q, %v", v, err)
		}
	}
	if calls != 2 {
		t.Fatalf("load called %d times, want 2", calls)
	}
}

func TestCounterConcurrentAddAndDrain(t *testing.T) {
	c := NewCounter()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				c.Add(fmt.Sprintf("k%d", (i+j)%5), 1)
			}
		}()
	}
	wg.Wait()
	var total int64
	for _, v := range c.Drain() {
		total += v
	}
	if total != 800 {
		t.Fatalf("total = %d, want 800", total)
	}
	if v := c.Value("k1"); v != 0 {
		t.Fatalf("after Drain, k1 = %d", v)
	}
}
