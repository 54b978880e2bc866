package cache

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestLoadCachesValue(t *testing.T) {
	c := New[string, int](time.Minute)
	calls := 0
	load := func(k string) (int, error) {
		calls++
		return len(k), nil
	}
	for range 3 {
		v, err := c.Load("abcd", load)
		if err != nil {
			t.Fatal(err)
		}
		if v != 4 {
			t.Fatalf("Load = %d, want 4", v)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times, want 1", calls)
	}
}

func TestLoadError(t *testing.T) {
	c := New[int, string](time.Minute)
	boom := errors.New("boom")
	_, err := c.Load(7, func(int) (string, error) { return "", boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Load error = %v, want %v", err, boom)
	}
	if _, ok := c.Get(7); ok {
		t.Fatal("failed load was cached")
	}
}

func TestApplyCheckedPanicsUnlocked(t *testing.T) {
	c := New[string, int](time.Minute)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("ApplyChecked with a bad op did not panic")
			}
		}()
		c.ApplyChecked(Op(42), "k", 1)
	}()
	if !c.TryLock() {
		t.Fatal("cache left locked after panic")
	}
	c.Unlock()
}

func TestShardedConcurrent(t *testing.T) {
	s := NewSharded[string, int](8, time.Minute)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Update(fmt.Sprint(i%16), func(old int, _ bool) int { return old + 1 })
		}()
	}
	wg.Wait()
	total := 0
	for i := range 16 {
		v, _ := s.Get(fmt.Sprint(i))
		total += v
	}
	if total != 64 {
		t.Fatalf("total = %d, want 64", total)
	}
}

func TestIndexPageOf(t *testing.T) {
	ix := NewIndex[int, string]()
	for i := range 10 {
		ix.Put(9-i, fmt.Sprint(9-i))
	}
	for _, tc := range []struct{ off, lim, want int }{{0, 3, 3}, {8, 5, 2}, {12, 1, 0}} {
		t.Run(fmt.Sprintf("%d+%d", tc.off, tc.lim), func(t *testing.T) {
			t.Parallel()
			got, total := ix.PageOf(tc.off, tc.lim)
			if len(got) != tc.want || total != 10 {
				t.Fatalf("PageOf(%d, %d) = %v, %d", tc.off, tc.lim, got, total)
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	c := New[int, int](time.Hour)
	for i := range 1024 {
		c.Set(i, i)
	}
	b.ResetTimer()
	for i := range b.N {
		c.Get(i & 1023)
	}
}
