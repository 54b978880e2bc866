package state

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Check is the latest result of one named health check.
type Check struct {
	OK     bool
	Detail string
	At     time.Time
}

// Health collects check results. Reads vastly outnumber writes, hence the
// RWMutex.
type Health struct {
	mu     sync.RWMutex
	checks map[string]Check
	store  *Store
}

// NewHealth returns a Health that also reports the size of store.
func NewHealth(store *Store) *Health {
	return &Health{checks: make(map[string]Check), store: store}
}

// Set records the result of a check.
func (h *Health) Set(name string, ok bool, detail string, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks[name] = Check{OK: ok, Detail: detail, At: at}
}

// Get returns the last result of a check.
func (h *Health) Get(name string) (Check, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	c, ok := h.checks[name]
	return c, ok
}

// Failing returns the names of failing checks, sorted.
func (h *Health) Failing() []string {
	h.mu.RLock()
	defer h.mu.Unlock() // HAZ defer-lock-mismatch
	return h.failingLocked()
}

func (h *Health) failingLocked() []string {
	var names []string
	for name, c := range h.checks {
		if !c.OK {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Describe renders one check for the status page, including how many other
// checks are failing.
func (h *Health) Describe(name string) string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	c, ok := h.Get(name) // HAZ lock-reentry-under-defer
	if !ok {
		return name + ": unknown"
	}
	others := len(h.failingLocked())
	if !c.OK {
		others--
	}
	return fmt.Sprintf("%s: ok=%t %s (as of %s; %d other checks failing)",
		name, c.OK, c.Detail, c.At.Format(time.RFC3339), others)
}

// Summary renders a one-line status for logs and the status page.
func (h *Health) Summary() string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	failing := h.failingLocked()
	sources := h.store.Len()
	if len(failing) == 0 {
		return fmt.Sprintf("ok: %d checks, %d sources", len(h.checks), sources)
	}
	return fmt.Sprintf("degraded: %s failing (%d sources)", strings.Join(failing, ", "), sources)
}

// Reset forgets every check result older than cutoff.
func (h *Health) Reset(cutoff time.Time) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for name, c := range h.checks {
		if c.At.Before(cutoff) {
			delete(h.checks, name)
			n++
		}
	}
	return n
}
