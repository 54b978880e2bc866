package lockx

import (
	"sync"
	"testing"
	"time"
)

func TestCacheGetPutEvict(t *testing.T) {
	var evicted []string
	c := NewCache[string, int](time.Minute, func(k string, _ int) { evicted = append(evicted, k) })
	c.Put("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v", v, ok)
	}
	if !c.Evict("a") || c.Evict("a") {
		t.Fatal("Evict should succeed exactly once")
	}
	if len(evicted) != 1 || evicted[0] != "a" {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestKeyedMutexSerialisesKey(t *testing.T) {
	var km KeyedMutex[string]
	var wg sync.WaitGroup
	counter := 0
	for range 50 {
		wg.Go(func() {
			defer km.Acquire("k")()
			counter++
		})
	}
	wg.Wait()
	if counter != 50 {
		t.Fatalf("counter = %d, want 50", counter)
	}
}

func TestTableAllAndScan(t *testing.T) {
	tb := NewTable[int](4)
	for i := range 4 {
		tb.Append(i)
	}
	sum := 0
	for v := range tb.All() {
		sum += v
	}
	seen := 0
	tb.Scan(func(int) bool { seen++; return seen < 2 })
	if sum != 6 || seen != 2 {
		t.Fatalf("sum=%d seen=%d", sum, seen)
	}
}
