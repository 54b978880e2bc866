package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLRUEvictsOldest(t *testing.T) {
	var evicted []string
	c := NewLRU[string, int](2, WithEvictCallback(func(k string, _ int) { evicted = append(evicted, k) }))
	c.Add("a", 1)
	c.Add("b", 2)
	c.Get("a")
	c.Add("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	if len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestLRUCallbackMayReenter(t *testing.T) {
	var c *LRU[int, int]
	c = NewLRU[int, int](1, WithEvictCallback(func(k, _ int) { _ = c.Len() }))
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Add(1, 1)
		c.Add(2, 2)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("eviction callback deadlocked")
	}
}

func TestGroupDeduplicates(t *testing.T) {
	var g Group[int]
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err, _ := g.Do("k", func() (int, error) {
				calls.Add(1)
				<-release
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("got %d, %v", v, err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n < 1 || n > 8 {
		t.Fatalf("calls = %d", n)
	}
}

func TestGroupPropagatesPanic(t *testing.T) {
	var g Group[int]
	defer func() {
		r := recover()
		if _, ok := r.(*panicError); !ok {
			t.Fatalf("recovered %v (%T), want *panicError", r, r)
		}
	}()
	g.Do("boom", func() (int, error) { panic("boom") })
	t.Fatal("Do returned normally")
}

func TestDoChanBuffered(t *testing.T) {
	var g Group[string]
	ch := g.DoChan("x", func() (string, error) { return "", errors.New("nope") })
	select {
	case r := <-ch:
		if r.Err == nil {
			t.Fatal("want error")
		}
	case <-time.After(time.Second):
		t.Fatal("no result")
	}
}

func TestTTLExpiry(t *testing.T) {
	c := NewTTLCache[string, int](time.Minute, 0)
	t.Cleanup(c.Stop)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	c.Set("a", 1)
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Fatal("a should be expired")
	}
	if n := c.DeleteExpired(); n != 1 {
		t.Fatalf("DeleteExpired = %d", n)
	}
}

func TestLoadingConvertsPanic(t *testing.T) {
	l := NewLoading[int](8, func(ctx context.Context, key string) (int, error) {
		if key == "bad" {
			panic("loader bug")
		}
		return len(key), nil
	}, 0, time.Second, log.New(io.Discard, "", 0))
	defer l.Close()
	if _, err := l.Get(context.Background(), "bad"); err == nil {
		t.Fatal("want error from panicking loader")
	}
	for _, k := range []string{"a", "bb", "ccc"} {
		t.Run(k, func(t *testing.T) {
			v, err := l.Get(context.Background(), k)
			if err != nil || v != len(k) {
				t.Fatalf("Get(%q) = %d, %v", k, v, err)
			}
		})
	}
}

func TestShardedRangeMayWrite(t *testing.T) {
	s := NewSharded[int](4)
	for i := 0; i < 100; i++ {
		s.Store(fmt.Sprint(i), i)
	}
	s.Range(func(k string, v int) bool {
		s.Store(k, v+1)
		return true
	})
	if s.Len() != 100 {
		t.Fatalf("Len = %d", s.Len())
	}
}
