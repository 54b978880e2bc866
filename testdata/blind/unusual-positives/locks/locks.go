// Package locks has mutex-protected state with hand-written unlocks, some of
// which miss a path.
package locks

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

var (
	errClosed       = errors.New("closed")
	errDraining     = errors.New("draining")
	errBusy         = errors.New("busy")
	errInsufficient = errors.New("insufficient funds")
)

// Ledger keeps balances. HTTP handlers call Transfer; net/http recovers
// handler panics, so a panic with the lock held wedges every later request.
type Ledger struct {
	mu       sync.Mutex
	balances map[string]int64
}

// Transfer panics with the mutex held.
func (l *Ledger) Transfer(from, to string, amt int64) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.balances[from] < amt {
		panic(fmt.Sprintf("ledger: overdraft on %s", from))
	}
	l.balances[from] -= amt
	l.balances[to] += amt
	l.mu.Unlock()
}

// Cache memoises loaded values.
type Cache struct {
	mu       sync.Mutex
	data     map[string][]byte
	failures int
}

// Refresh jumps to the failure label with the mutex still held.
func (c *Cache) Refresh(key string, load func(string) ([]byte, error)) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	data, err := load(key)
	if err != nil {
		goto fail
	}
	c.data[key] = data
	c.mu.Unlock()
	return nil
fail:
	c.failures++
	return fmt.Errorf("refresh %s: %w", key, err)
}

// Queue is a bounded in-memory queue.
type Queue struct {
	mu    sync.Mutex
	items []string
	limit int
}

// Absorb breaks out of both loops while holding the lock.
func (q *Queue) Absorb(batches [][]string) int {
	n := 0
outer:
	for _, b := range batches {
		for _, it := range b {
			q.mu.Lock() // HAZ lock-leaked-on-return
			if len(q.items) >= q.limit {
				break outer
			}
			q.items = append(q.items, it)
			q.mu.Unlock()
			n++
		}
	}
	return n
}

// Router maps host and path to a backend.
type Router struct {
	mu       sync.RWMutex
	closed   bool
	hosts    map[string]map[string]string
	fallback string
}

// Route has five returns; the "no fallback" one forgets RUnlock, after which
// every writer blocks forever.
func (r *Router) Route(host, path string) (string, error) {
	r.mu.RLock() // HAZ lock-leaked-on-return
	if r.closed {
		r.mu.RUnlock()
		return "", errClosed
	}
	tbl, ok := r.hosts[host]
	if !ok {
		r.mu.RUnlock()
		return "", fmt.Errorf("unknown host %q", host)
	}
	if dst, ok := tbl[path]; ok {
		r.mu.RUnlock()
		return dst, nil
	}
	if r.fallback == "" {
		return "", fmt.Errorf("no route for %s%s", host, path)
	}
	fb := r.fallback
	r.mu.RUnlock()
	return fb, nil
}

// Stats aggregates samples.
type Stats struct {
	mu  sync.Mutex
	sum float64
	n   int
}

// Merge continues with the lock held; the next iteration's Lock deadlocks.
func (s *Stats) Merge(samples []float64) {
	for _, v := range samples {
		s.mu.Lock() // HAZ lock-leaked-on-return
		if v < 0 {
			continue
		}
		s.sum += v
		s.n++
		s.mu.Unlock()
	}
}

const (
	stateOpen = iota
	stateDraining
	stateClosed
)

// Conn embeds its mutex.
type Conn struct {
	sync.Mutex
	state int
	buf   []byte
}

// Write returns from one switch case without unlocking the embedded mutex.
func (c *Conn) Write(p []byte) (int, error) {
	c.Lock() // HAZ lock-leaked-on-return
	switch c.state {
	case stateClosed:
		return 0, errClosed
	case stateDraining:
		c.Unlock()
		return 0, errDraining
	}
	c.buf = append(c.buf, p...)
	c.Unlock()
	return len(p), nil
}

// Broker fans messages out to subscribers.
type Broker struct {
	mu   sync.Mutex
	subs []chan string
}

// Publish returns from a select case with the lock held.
func (b *Broker) Publish(ctx context.Context, msg string) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	for _, sub := range b.subs {
		select {
		case sub <- msg:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	b.mu.Unlock()
	return nil
}

// Account is one side of a transfer.
type Account struct {
	mu  sync.Mutex
	bal int
}

// Move locks two accounts; the early return unlocks only the first.
func Move(src, dst *Account, amt int) error {
	src.mu.Lock()
	dst.mu.Lock() // HAZ lock-leaked-on-return
	if src.bal < amt {
		src.mu.Unlock()
		return errInsufficient
	}
	src.bal -= amt
	dst.bal += amt
	dst.mu.Unlock()
	src.mu.Unlock()
	return nil
}

// ---- negatives ----

// Deposit defers the unlock and has several returns.
func (l *Ledger) Deposit(to string, amt int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if amt <= 0 {
		return fmt.Errorf("invalid amount %d", amt)
	}
	if _, ok := l.balances[to]; !ok {
		return fmt.Errorf("unknown account %q", to)
	}
	l.balances[to] += amt
	return nil
}

// RouteStrict unlocks on every one of its returns.
func (r *Router) RouteStrict(host, path string) (string, error) {
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return "", errClosed
	}
	tbl, ok := r.hosts[host]
	if !ok {
		r.mu.RUnlock()
		return "", fmt.Errorf("unknown host %q", host)
	}
	dst, ok := tbl[path]
	if !ok {
		dst = r.fallback
	}
	r.mu.RUnlock()
	if dst == "" {
		return "", fmt.Errorf("no route for %s%s", host, path)
	}
	return dst, nil
}

// RefreshUnlocked unlocks before jumping to the failure label.
func (c *Cache) RefreshUnlocked(key string, load func(string) ([]byte, error)) error {
	c.mu.Lock()
	data, err := load(key)
	if err != nil {
		c.failures++
		c.mu.Unlock()
		goto fail
	}
	c.data[key] = data
	c.mu.Unlock()
	return nil
fail:
	return fmt.Errorf("refresh %s: %w", key, err)
}

// Janitor sweeps expired entries in the background.
type Janitor struct {
	mu      sync.Mutex
	expired []string
}

// Sweep returns early only when TryLock failed, i.e. without holding the lock.
func (j *Janitor) Sweep() (int, error) {
	if !j.mu.TryLock() {
		return 0, errBusy
	}
	defer j.mu.Unlock()
	n := len(j.expired)
	j.expired = j.expired[:0]
	return n, nil
}

// AbsorbUntilFull unlocks before breaking out of the labelled loop.
func (q *Queue) AbsorbUntilFull(batches [][]string) int {
	n := 0
outer:
	for _, b := range batches {
		for _, it := range b {
			q.mu.Lock()
			full := len(q.items) >= q.limit
			if !full {
				q.items = append(q.items, it)
			}
			q.mu.Unlock()
			if full {
				break outer
			}
			n++
		}
	}
	return n
}

// TransferChecked panics only after releasing the lock.
func (l *Ledger) TransferChecked(from, to string, amt int64) {
	l.mu.Lock()
	ok := l.balances[from] >= amt
	if ok {
		l.balances[from] -= amt
		l.balances[to] += amt
	}
	l.mu.Unlock()
	if !ok {
		panic(fmt.Sprintf("ledger: overdraft on %s", from))
	}
}

// WriteFlagged releases the lock early on the happy path and lets a deferred,
// flag-guarded unlock cover every other path.
func (c *Conn) WriteFlagged(p []byte, notify func(int)) (int, error) {
	c.Lock()
	locked := true
	defer func() {
		if locked {
			c.Unlock()
		}
	}()
	if c.state != stateOpen {
		return 0, errClosed
	}
	c.buf = append(c.buf, p...)
	n := len(c.buf)
	c.Unlock()
	locked = false
	notify(n)
	return len(p), nil
}
