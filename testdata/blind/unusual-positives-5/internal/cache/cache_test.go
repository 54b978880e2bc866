package cache

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

var fixturePath string

func TestMain(m *testing.M) {
	f, err := os.CreateTemp("", "cache-fixture-*.json")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixturePath = f.Name()
	defer os.Remove(fixturePath)
	if err := json.NewEncoder(f).Encode(map[string]int{"a": 1, "b": 2}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func loadFixture(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var m map[string]int
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFetch(t *testing.T) {
	fixture := loadFixture(t)
	var calls int
	c := New[string, int](time.Minute, LoaderFunc[string, int](func(k string) (int, error) {
		calls++
		v, ok := fixture[k]
		if !ok {
			return 0, ErrNotFound
		}
		return v, nil
	}))
	for range 3 {
		v, err := c.Fetch("a")
		if err != nil || v != 1 {
			t.Fatalf("Fetch(a) = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times, want 1", calls)
	}
}

func TestShardedParallel(t *testing.T) {
	s := NewSharded[int](8)
	for i := range 4 {
		t.Run("writer"+strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			for j := range 100 {
				s.Put(strconv.Itoa(i*1000+j), j)
			}
		})
	}
}

func TestQueueDrain(t *testing.T) {
	src, dst := NewQueue[int](0), NewQueue[int](0)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src.Push(i)
		}()
	}
	wg.Wait()
	if n := src.DrainTo(dst); n != 10 || dst.Len() != 10 {
		t.Fatalf("drained %d, dst has %d", n, dst.Len())
	}
}
