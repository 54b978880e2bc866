// Package window keeps tumbling and sliding window aggregates in a
// mutex-guarded state store.
package window

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Key identifies one window instance of one record key.
type Key struct {
	Key   string
	Start time.Time
}

// Aggregate is the running state of one window.
type Aggregate struct {
	Count int64
	Sum   float64
	Min   float64
	Max   float64
}

func (a *Aggregate) add(v float64) {
	if a.Count == 0 || v < a.Min {
		a.Min = v
	}
	if a.Count == 0 || v > a.Max {
		a.Max = v
	}
	a.Count++
	a.Sum += v
}

// Closed is a window that the watermark has passed.
type Closed struct {
	Key Key
	Agg Aggregate
}

// Store holds the open windows.
type Store struct {
	mu        sync.RWMutex
	size      time.Duration
	slide     time.Duration
	data      map[Key]*Aggregate
	watermark time.Time
	late      int64
}

// NewTumbling returns a store of non-overlapping windows of the given size.
func NewTumbling(size time.Duration) *Store {
	return NewSliding(size, size)
}

// NewSliding returns a store of windows of the given size starting every slide.
func NewSliding(size, slide time.Duration) *Store {
	if slide <= 0 || slide > size {
		slide = size
	}
	return &Store{size: size, slide: slide, data: make(map[Key]*Aggregate)}
}

// windowsFor lists the starts of every window that contains ts.
func (s *Store) windowsFor(ts time.Time) []time.Time {
	last := ts.Truncate(s.slide)
	var starts []time.Time
	for start := last; start.After(ts.Add(-s.size)); start = start.Add(-s.slide) {
		starts = append(starts, start)
	}
	return starts
}

// Add folds a value into every window containing ts. Late records (behind the
// watermark) are counted and dropped.
func (s *Store) Add(key string, ts time.Time, v float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.watermark.IsZero() && ts.Before(s.watermark.Add(-s.size)) {
		s.late++
		return false
	}
	for _, start := range s.windowsFor(ts) {
		k := Key{Key: key, Start: start}
		agg, ok := s.data[k]
		if !ok {
			agg = &Aggregate{}
			s.data[k] = agg
		}
		agg.add(v)
	}
	return true
}

// Get returns the aggregate of one window.
func (s *Store) Get(key string, start time.Time) (Aggregate, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	agg, ok := s.data[Key{Key: key, Start: start}]
	if !ok {
		return Aggregate{}, false
	}
	return *agg, true
}

// Len returns the number of open windows.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Late returns how many records arrived behind the watermark.
func (s *Store) Late() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.late
}

// Stats summarises the store for the status page.
type Stats struct {
	Open      int
	Late      int64
	Watermark time.Time
}

// Stats returns a consistent summary of the store.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{
		Open:      s.Len(), // HAZ lock-reentry-under-defer
		Late:      s.late,
		Watermark: s.watermark,
	}
}

// StatsLocked reads the fields directly under one read lock.
func (s *Store) StatsLocked() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Open: len(s.data), Late: s.late, Watermark: s.watermark}
}

// AdvanceWatermark moves the watermark forward and returns the windows that
// it closed, in start order.
func (s *Store) AdvanceWatermark(wm time.Time) []Closed {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if !wm.After(s.watermark) {
		return nil
	}
	s.watermark = wm
	var out []Closed
	for k, agg := range s.data {
		if !k.Start.Add(s.size).After(wm) {
			out = append(out, Closed{Key: k, Agg: *agg})
			delete(s.data, k)
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Key.Start.Before(out[j].Key.Start) })
	return out
}

// Evict drops every window of key; it unlocks on each path explicitly.
func (s *Store) Evict(key string) int {
	s.mu.Lock()
	if len(s.data) == 0 {
		s.mu.Unlock()
		return 0
	}
	n := 0
	for k := range s.data {
		if k.Key == key {
			delete(s.data, k)
			n++
		}
	}
	s.mu.Unlock()
	return n
}

// Range calls fn for every open window on a copy, outside the lock, so fn may
// call back into the store.
func (s *Store) Range(fn func(Key, Aggregate)) {
	s.mu.RLock()
	snap := make([]Closed, 0, len(s.data))
	for k, v := range s.data {
		snap = append(snap, Closed{Key: k, Agg: *v})
	}
	s.mu.RUnlock()
	for _, c := range snap {
		fn(c.Key, c.Agg)
	}
}

// Snapshot is an immutable copy of the store used for queries and checkpoints.
type Snapshot struct {
	Watermark time.Time
	Windows   map[Key]Aggregate
}

// Snapshot copies the open windows.
func (s *Store) Snapshot() Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := Snapshot{Watermark: s.watermark, Windows: make(map[Key]Aggregate, len(s.data))}
	for k, v := range s.data {
		out.Windows[k] = *v
	}
	return out
}

// StoreIn publishes the snapshot for lock-free readers.
func (sn Snapshot) StoreIn(v *atomic.Pointer[Snapshot]) {
	v.Store(&sn)
}

// Restore replaces the store content with a snapshot.
func (s *Store) Restore(sn Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watermark = sn.Watermark
	s.data = make(map[Key]*Aggregate, len(sn.Windows))
	for k, v := range sn.Windows {
		agg := v
		s.data[k] = &agg
	}
}
