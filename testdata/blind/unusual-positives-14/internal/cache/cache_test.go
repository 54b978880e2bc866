package cache

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func TestGetSetExpire(t *testing.T) {
	now := time.Unix(1000, 0)
	c := New[string, int](time.Minute)
	c.now = func() time.Time { return now }

	c.Set("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v; want 1, true", v, ok)
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Fatal("entry should have expired")
	}
	var evicted []string
	c.OnEvict = func(k string, _ int) { evicted = append(evicted, k) }
	if n := c.Sweep(); n != 1 || len(evicted) != 1 {
		t.Fatalf("Sweep() = %d, evicted %v", n, evicted)
	}
}

func TestGetOrLoadKeepsFirstValue(t *testing.T) {
	c := New[string, string](0)
	loads := 0
	load := func(k string) (string, error) {
		loads++
		return k + "!", nil
	}
	for range 3 {
		v, err := c.GetOrLoad("x", load)
		if err != nil || v != "x!" {
			t.Fatalf("GetOrLoad = %q, %v", v, err)
		}
	}
	if loads != 1 {
		t.Fatalf("loaded %d times, want 1", loads)
	}
	boom := errors.New("boom")
	if _, err := c.GetOrLoad("y", func(string) (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestShardedConcurrentStore(t *testing.T) {
	s := NewSharded[int, int](8)
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Store(i, i*i)
		}()
	}
	wg.Wait()
	if n := s.Len(); n != 100 {
		t.Fatalf("Len() = %d, want 100", n)
	}
	if v, ok := s.Load(7); !ok || v != 49 {
		t.Fatalf("Load(7) = %d, %v", v, ok)
	}
}

func TestCopyTo(t *testing.T) {
	src := New[string, int](0)
	dst := New[string, int](0)
	src.Set("a", 1)
	src.Set("b", 2)
	if n := src.CopyTo(dst); n != 2 {
		t.Fatalf("CopyTo = %d, want 2", n)
	}
	if keys := dst.Keys(); len(keys) != 2 {
		t.Fatalf("dst keys = %v", keys)
	}
}
