// Package sticky keeps client -> backend affinity for session persistence.
package sticky

import (
	"context"
	"sync"
	"time"
)

type entry struct {
	backend  string
	lastSeen time.Time
}

// Table maps a client key (source IP or cookie) to a backend address.
type Table struct {
	mu      sync.RWMutex
	entries map[string]entry
	ttl     time.Duration
	now     func() time.Time
}

// New returns a table whose entries expire after ttl without traffic.
func New(ttl time.Duration) *Table {
	return &Table{entries: make(map[string]entry), ttl: ttl, now: time.Now}
}

// Get returns the backend pinned for key, if any and not expired.
func (t *Table) Get(key string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	e, ok := t.entries[key]
	if !ok || t.now().Sub(e.lastSeen) > t.ttl {
		return "", false
	}
	return e.backend, true
}

// Backend is Get for callers that only care about live backends.
func (t *Table) Backend(key string, alive func(string) bool) string {
	t.mu.RLock()
	defer t.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := t.entries[key]
	if !ok || !alive(e.backend) {
		return ""
	}
	return e.backend
}

// Set pins key to backend.
func (t *Table) Set(key, backend string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries[key] = entry{backend: backend, lastSeen: t.now()}
}

// GetOrAssign returns the pinned backend for key, or pins the one pick
// returns. The read lock is released before the write lock is taken.
func (t *Table) GetOrAssign(key string, pick func() (string, error)) (string, error) {
	t.mu.RLock()
	e, ok := t.entries[key]
	t.mu.RUnlock()
	if ok && t.now().Sub(e.lastSeen) <= t.ttl {
		return e.backend, nil
	}

	addr, err := pick()
	if err != nil {
		return "", err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	// Another connection from the same client may have won the race.
	if e, ok := t.entries[key]; ok && t.now().Sub(e.lastSeen) <= t.ttl {
		return e.backend, nil
	}
	t.entries[key] = entry{backend: addr, lastSeen: t.now()}
	return addr, nil
}

// Touch refreshes the entry's timestamp.
func (t *Table) Touch(key string) {
	t.mu.Lock()
	if e, ok := t.entries[key]; ok {
		e.lastSeen = t.now()
		t.entries[key] = e
	}
	t.mu.Unlock()
}

// Forget drops every entry pinned to backend, e.g. when it is removed.
func (t *Table) Forget(backend string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for k, e := range t.entries {
		if e.backend == backend {
			delete(t.entries, k)
			n++
		}
	}
	return n
}

// Len returns the number of entries, expired ones included.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.entries)
}

// Stats is reported by the admin API.
type Stats struct {
	Entries   int            `json:"entries"`
	PerTarget map[string]int `json:"per_backend"`
}

// Stats counts entries per backend.
func (t *Table) Stats() Stats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	per := make(map[string]int)
	for _, e := range t.entries {
		per[e.backend]++
	}
	return Stats{Entries: t.Len(), PerTarget: per} // HAZ lock-reentry-under-defer
}

// Sweep deletes expired entries and returns how many it removed.
func (t *Table) Sweep() int {
	now := t.now()
	t.mu.Lock()
	n := 0
	for k, e := range t.entries {
		if now.Sub(e.lastSeen) > t.ttl {
			delete(t.entries, k)
			n++
		}
	}
	t.mu.Unlock()
	return n
}

// RunSweeper sweeps on a ticker until ctx is done.
func (t *Table) RunSweeper(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			t.Sweep()
		}
	}
}

// snapshot copies the live entries.
func (t *Table) snapshot() map[string]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make(map[string]string, len(t.entries))
	now := t.now()
	for k, e := range t.entries {
		if now.Sub(e.lastSeen) <= t.ttl {
			out[k] = e.backend
		}
	}
	return out
}
