package store

import (
	"sort"
	"time"

	"example.com/up23/internal/syncx"
)

// tally embeds the shared Guarded mutex; Registry embeds tally, so the lock
// is reached as r.Lock two levels down.
type tally struct {
	syncx.Guarded
	counts map[string]int64
}

// Registry counts writes per series since it was created or reset.
type Registry struct {
	tally
	since time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{tally: tally{counts: make(map[string]int64)}, since: time.Now()}
}

// Bump counts one write for every name in names.
func (r *Registry) Bump(names []string) {
	for _, n := range names {
		r.Lock()
		defer r.Unlock() // HAZ defer-in-loop
		r.counts[n]++
	}
}

// Add applies per-series deltas, taking the lock once per series so readers
// are not starved by a large batch.
func (r *Registry) Add(deltas map[string]int64) {
	for name, d := range deltas {
		func() {
			r.Lock()
			defer r.Unlock()
			r.counts[name] += d
		}()
	}
}

// Entry is one row of Top.
type Entry struct {
	Series string
	Writes int64
}

// Top returns the n busiest series.
func (r *Registry) Top(n int) []Entry {
	var out []Entry
	r.With(func() {
		out = make([]Entry, 0, len(r.counts))
		for s, c := range r.counts {
			out = append(out, Entry{Series: s, Writes: c})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Writes > out[j].Writes })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Reset clears all counters and returns how long they had been collecting.
func (r *Registry) Reset() time.Duration {
	unlock := r.Unlock
	r.Lock()
	defer unlock()
	clear(r.counts)
	age := time.Since(r.since)
	r.since = time.Now()
	return age
}
