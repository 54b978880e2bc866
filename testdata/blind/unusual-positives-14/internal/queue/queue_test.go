package queue

import (
	"sync"
	"testing"
)

func TestPushAllPopClose(t *testing.T) {
	q := New[int](3)
	if n := q.PushAll([]int{1, 2, 3, 4}); n != 3 {
		t.Fatalf("PushAll took %d, want 3", n)
	}
	var wg sync.WaitGroup
	got := make([]int, 0, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			v, ok := q.Pop()
			if !ok {
				return
			}
			got = append(got, v)
		}
	}()
	q.Close()
	wg.Wait()
	if len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("popped %v", got)
	}
}

func TestEachSafeReportsPanics(t *testing.T) {
	q := New[string](4)
	q.PushAll([]string{"a", "boom", "c"})
	var seen, panicked []string
	q.EachSafe(func(s string) {
		if s == "boom" {
			panic(s)
		}
		seen = append(seen, s)
	}, func(s string, _ any) { panicked = append(panicked, s) })
	if len(seen) != 2 || len(panicked) != 1 {
		t.Fatalf("seen %v, panicked %v", seen, panicked)
	}
	if items := q.Drain(); len(items) != 3 {
		t.Fatalf("Drain = %v", items)
	}
}
