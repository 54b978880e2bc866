package cache

import (
	"sync"
	"testing"
	"time"
)

func TestPutEvicts(t *testing.T) {
	c := New[string, int](2, time.Minute)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("c", 3)
	if n := c.Len(); n != 2 {
		t.Fatalf("len = %d", n)
	}
}

func TestConcurrentGetPut(t *testing.T) {
	c := New[int, int](100, time.Minute)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			c.Put(i, i*i)
			if v, ok := c.Get(i); ok && v != i*i {
				t.Errorf("get %d = %d", i, v)
			}
		})
	}
	wg.Wait()
}

func TestCurrentUpdate(t *testing.T) {
	var cur Current
	cur.Update(func(s *Settings) { s.Name = "x"; s.Replicas = 3 })
	if got := cur.Load(); got.Name != "x" || got.Replicas != 3 {
		t.Fatalf("got %+v", got)
	}
	old := cur.Swap(&Settings{Name: "y"})
	if old.Name != "x" {
		t.Fatalf("old = %+v", old)
	}
}

func TestRegistrySummary(t *testing.T) {
	r := NewRegistry()
	if err := r.Register(&Settings{Name: "a", Replicas: 2}); err != nil {
		t.Fatal(err)
	}
	if got := r.Summary(); got != "a replicas=2\n" {
		t.Fatalf("summary = %q", got)
	}
}
