package syncutil

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestQueueGetWaits(t *testing.T) {
	q := NewQueue[int]()
	var wg sync.WaitGroup
	got := make([]int, 0, 3)
	var mu sync.Mutex
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := q.Get()
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, v)
			mu.Unlock()
		}()
	}
	for i := 1; i <= 3; i++ {
		if err := q.Put(i); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if len(got) != 3 {
		t.Fatalf("got %v, want three values", got)
	}
}

func TestQueueCloseDrains(t *testing.T) {
	q := NewQueue[string]()
	q.Put("a")
	q.Close()
	if v, err := q.Get(); err != nil || v != "a" {
		t.Fatalf("Get = %q, %v; want \"a\", nil", v, err)
	}
	if _, err := q.Get(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after drain = %v, want ErrClosed", err)
	}
	if err := q.Put("b"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Close = %v, want ErrClosed", err)
	}
}

func TestEventFireTwice(t *testing.T) {
	var e Event
	done := e.Done()
	e.Fire()
	e.Fire()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Done not closed after Fire")
	}
}

// mustPanic fails the test unless f panics.
func mustPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Error("function did not panic")
		}
	}()
	f()
}

func TestSetLimitWhileActivePanics(t *testing.T) {
	g, _ := WithContext(context.Background())
	g.SetLimit(1)
	release := make(chan struct{})
	g.Go(func() error { <-release; return nil })
	mustPanic(t, func() { g.SetLimit(2) })
	close(release)
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestForEachStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	err := ForEach(context.Background(), []int{1, 2, 3, 4}, 2, func(_ context.Context, v int) error {
		if v == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("ForEach = %v, want %v", err, boom)
	}
}
