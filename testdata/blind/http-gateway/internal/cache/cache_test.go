package cache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLRUEvictsOldest(t *testing.T) {
	c := NewLRU(40)
	now := time.Now()
	for _, k := range []string{"a", "b", "c"} {
		c.Add(&Entry{Key: k, Body: make([]byte, 15), Expires: now.Add(time.Minute)})
	}
	if _, ok := c.Get("a", now); ok {
		t.Fatal("a should have been evicted")
	}
	if _, ok := c.Get("c", now); !ok {
		t.Fatal("c should be cached")
	}
	if s := c.Stats(); s.Evictions != 1 {
		t.Fatalf("evictions = %d, want 1", s.Evictions)
	}
}

func TestHandlerCollapsesMisses(t *testing.T) {
	var upstream atomic.Int32
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		upstream.Add(1)
		time.Sleep(20 * time.Millisecond)
		io.WriteString(w, "payload")
	})
	h := NewHandler(next, NewLRU(1<<20), time.Minute)

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/item/1", nil))
		}()
	}
	wg.Wait()
	if n := upstream.Load(); n != 1 {
		t.Fatalf("upstream called %d times, want 1", n)
	}
}

func TestKeyLocksCleanUp(t *testing.T) {
	k := newKeyLocks()
	release := k.lock("x")
	if k.waiting("x") != 1 {
		t.Fatal("lock not registered")
	}
	release()
	if k.waiting("x") != 0 {
		t.Fatal("lock entry leaked")
	}
}
