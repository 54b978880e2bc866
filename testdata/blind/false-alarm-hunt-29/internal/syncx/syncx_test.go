package syncx

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestMapConcurrentStore(t *testing.T) {
	m := NewMap[string, int](0)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Store(fmt.Sprint(i), i)
		}()
	}
	wg.Wait()
	if got := m.Len(); got != 50 {
		t.Fatalf("Len = %d, want 50", got)
	}
}

func TestMapComputeKeepsOldOnError(t *testing.T) {
	m := NewMap[string, int](1)
	m.Store("a", 1)
	boom := errors.New("boom")
	got, err := m.Compute("a", func(old int, ok bool) (int, error) {
		return old + 1, boom
	})
	if !errors.Is(err, boom) || got != 1 {
		t.Fatalf("Compute = %d, %v", got, err)
	}
	if v, _ := m.Load("a"); v != 1 {
		t.Fatalf("value changed to %d", v)
	}
}

func TestMapMergeSelf(t *testing.T) {
	m := NewMap[int, string](2)
	m.Store(1, "one")
	m.Merge(m)
	if keys := SortedKeys(m); !slices.Equal(keys, []int{1}) {
		t.Fatalf("keys = %v", keys)
	}
}

func TestCacheExpiry(t *testing.T) {
	c := NewCache[string, int](0, nil)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	c.Set("k", 7, time.Second)
	if v, ok := c.Get("k"); !ok || v != 7 {
		t.Fatalf("Get = %d, %v", v, ok)
	}
	now = now.Add(2 * time.Second)
	if _, ok := c.Get("k"); ok {
		t.Fatal("expired entry still visible")
	}
}

func TestCacheGetOrLoadOnce(t *testing.T) {
	c := NewCache[string, int](0, nil)
	calls := 0
	load := func(string) (int, error) {
		calls++
		return 42, nil
	}
	for range 3 {
		if v, err := c.GetOrLoad("x", time.Minute, load); err != nil || v != 42 {
			t.Fatalf("GetOrLoad = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("load called %d times", calls)
	}
}

func TestQueueDrain(t *testing.T) {
	q := NewQueue[int]()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10 {
			if err := q.Push(i); err != nil {
				t.Error(err)
				break
			}
		}
		q.Close()
	}()
	var got []int
	for v := range q.Drain() {
		got = append(got, v)
	}
	<-done
	if len(got) != 10 {
		t.Fatalf("drained %d items", len(got))
	}
}

func TestSetUnion(t *testing.T) {
	u := Union(NewSet(1, 2), NewSet(2, 3))
	if !u.Equal(NewSet(1, 2, 3)) {
		t.Fatalf("union has %d members", u.Len())
	}
}
