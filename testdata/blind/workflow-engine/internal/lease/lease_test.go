package lease

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestLeaderFailover(t *testing.T) {
	clk := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	var changes []string
	l := NewLeader(10*time.Second, func(h string, term uint64) {
		changes = append(changes, fmt.Sprintf("%s@%d", h, term))
	})
	l.now = clk.Now

	if _, ok := l.TryAcquire("a"); !ok {
		t.Fatal("a could not acquire a free lease")
	}
	if _, ok := l.TryAcquire("b"); ok {
		t.Fatal("b acquired a held lease")
	}
	clk.Advance(11 * time.Second)
	term, ok := l.TryAcquire("b")
	if !ok || term != 2 {
		t.Fatalf("b after expiry: term=%d ok=%v", term, ok)
	}
	if len(changes) != 2 || changes[1] != "b@2" {
		t.Fatalf("changes = %v", changes)
	}
}

func TestTableConcurrentGrant(t *testing.T) {
	tbl := NewTable()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins []string
	)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := fmt.Sprintf("w%d", i)
			if _, err := tbl.Grant("task-1", worker, time.Minute); err == nil {
				mu.Lock()
				wins = append(wins, worker)
				mu.Unlock()
			} else if !errors.Is(err, ErrHeld) {
				t.Errorf("Grant: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(wins) != 1 {
		t.Fatalf("%d workers won the lease: %v", len(wins), wins)
	}
}

func TestExtendWithStaleToken(t *testing.T) {
	tbl := NewTable()
	first, err := tbl.Grant("t", "w1", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	tbl.Reap(time.Now().Add(time.Second))
	if _, err := tbl.Grant("t", "w2", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Extend("t", first.Token, time.Minute); !errors.Is(err, ErrLost) {
		t.Fatalf("stale extend: %v", err)
	}
}
