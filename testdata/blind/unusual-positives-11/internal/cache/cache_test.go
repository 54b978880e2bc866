package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestFillLoadsOnce(t *testing.T) {
	calls := 0
	c := New(WithLoader(func(_ context.Context, k string) (int, error) {
		calls++
		return len(k), nil
	}))
	for range 3 {
		v, err := c.Fill(context.Background(), "abcd")
		if err != nil || v != 4 {
			t.Fatalf("Fill = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times", calls)
	}
}

func TestFillWithoutLoader(t *testing.T) {
	c := New[string, int]()
	_, err := c.Fill(context.Background(), "x")
	if !errors.Is(err, ErrMiss) {
		t.Fatalf("err = %v, want ErrMiss", err)
	}
}

func TestLookupFallsBackToParent(t *testing.T) {
	parent := New[string, int]()
	parent.Set("a", 1)
	child := New(WithParent(parent), WithCapacity[string, int](2))
	if v, ok := child.Lookup("a"); !ok || v != 1 {
		t.Fatalf("Lookup = %d, %v", v, ok)
	}
	if child.Len() != 1 {
		t.Fatalf("hit was not copied into the child")
	}
}

func TestEvictHook(t *testing.T) {
	var evicted []string
	c := New(WithCapacity[string, int](2), WithEvictHook(func(k string, _ int) {
		evicted = append(evicted, k)
	}))
	for i := range 4 {
		c.Set(fmt.Sprint(i), i)
	}
	if len(evicted) != 2 || evicted[0] != "0" {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestConcurrentMergeEach(t *testing.T) {
	c := New[int, int]()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pairs := make([]Pair[int, int], 0, 10)
			for i := range 10 {
				pairs = append(pairs, Pair[int, int]{Key: w*10 + i, Val: i})
			}
			c.MergeEach(pairs)
		}()
	}
	wg.Wait()
	if c.Len() != 40 {
		t.Fatalf("Len = %d", c.Len())
	}
}

func TestIndexKeys(t *testing.T) {
	ix := NewIndex[string]()
	ix.Add("b", "a", "b", "c")
	got := ix.Range("a", "c")
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("Range = %v", got)
	}
}

func TestRegistryRemove(t *testing.T) {
	r := NewRegistry[string, int]()
	if err := r.Register("x", 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("x", 2); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("err = %v", err)
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{{"x", true}, {"x", false}, {"y", false}} {
		t.Run(tc.key, func(t *testing.T) {
			if _, ok := r.Remove(tc.key); ok != tc.want {
				t.Fatalf("Remove(%q) = %v", tc.key, ok)
			}
		})
	}
	t.Log(r.Summary())
}
