package cache

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func answer(name string, ttl uint32) *dnsmsg.Msg {
	m := dnsmsg.NewQuery(7, name, dnsmsg.TypeA).Reply()
	m.Answer = []dnsmsg.RR{{Name: name, Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET, TTL: ttl, Data: []byte{192, 0, 2, 1}}}
	return m
}

func newTestCache(t *testing.T, clock *fakeClock) *Cache {
	t.Helper()
	c := New(Config{Shards: 4, MaxPerShard: 16, EvictInterval: time.Hour, Now: clock.Now})
	t.Cleanup(c.Close)
	return c
}

func TestSetGetAgesTTL(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	c := newTestCache(t, clock)
	q := dnsmsg.Question{Name: "www.example.", Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET}

	c.Set(q, answer("www.example.", 300))
	clock.Advance(100 * time.Second)

	m, ok := c.Get(q)
	if !ok {
		t.Fatal("expected a hit")
	}
	if got := m.Answer[0].TTL; got != 200 {
		t.Errorf("TTL = %d, want 200", got)
	}
	clock.Advance(201 * time.Second)
	if _, ok := c.Get(q); ok {
		t.Error("expected the entry to have expired")
	}
}

func TestFlushAndLen(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	c := newTestCache(t, clock)
	for i := range 20 {
		name := fmt.Sprintf("h%d.example.", i)
		c.Set(dnsmsg.Question{Name: name, Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET}, answer(name, 60))
	}
	if n := c.Len(); n != 20 {
		t.Fatalf("Len = %d, want 20", n)
	}
	if n := c.Flush(); n != 20 {
		t.Errorf("Flush removed %d, want 20", n)
	}
	if n := c.Len(); n != 0 {
		t.Errorf("Len after flush = %d", n)
	}
}

func TestConcurrentReadersAndWriters(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	c := newTestCache(t, clock)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				name := fmt.Sprintf("w%d-%d.example.", w, i%10)
				q := dnsmsg.Question{Name: name, Type: dnsmsg.TypeA, Class: dnsmsg.ClassINET}
				c.Set(q, answer(name, 30))
				c.Get(q)
			}
		}()
	}
	wg.Wait()
	if c.Len() == 0 {
		t.Error("cache unexpectedly empty")
	}
}
