package limiter

import (
	"sort"
	"sync"
	"time"
)

// SlidingWindow caps the number of hits within a trailing window. It keeps
// the timestamps of the hits (a sliding log), which is exact and cheap for the
// small per-tenant limits the gateway uses.
type SlidingWindow struct {
	mu     sync.RWMutex
	window time.Duration
	limit  int
	hits   []time.Time
	now    Clock
}

// NewSlidingWindow returns an empty window allowing limit hits per window.
func NewSlidingWindow(limit int, window time.Duration, now Clock) *SlidingWindow {
	if now == nil {
		now = time.Now
	}
	return &SlidingWindow{window: window, limit: limit, now: now}
}

// pruneLocked drops hits older than the window. w.mu must be held for writing.
func (w *SlidingWindow) pruneLocked(t time.Time) {
	cutoff := t.Add(-w.window)
	i := sort.Search(len(w.hits), func(i int) bool { return w.hits[i].After(cutoff) })
	if i > 0 {
		w.hits = append(w.hits[:0], w.hits[i:]...)
	}
}

// countLocked counts hits inside the window ending at t. Any lock will do.
func (w *SlidingWindow) countLocked(t time.Time) int {
	cutoff := t.Add(-w.window)
	return len(w.hits) - sort.Search(len(w.hits), func(i int) bool { return w.hits[i].After(cutoff) })
}

// Record registers a hit if the window has room and reports whether it did.
func (w *SlidingWindow) Record() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.now()
	w.pruneLocked(t)
	if len(w.hits) >= w.limit {
		return false
	}
	w.hits = append(w.hits, t)
	return true
}

// Count returns the number of hits in the current window.
func (w *SlidingWindow) Count() int {
	w.mu.RLock()
	defer w.mu.Unlock() // HAZ defer-lock-mismatch
	cutoff := w.now().Add(-w.window)
	n := 0
	for _, h := range w.hits {
		if h.After(cutoff) {
			n++
		}
	}
	return n
}

// Len is the read-locked accessor used by metrics.
func (w *SlidingWindow) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.countLocked(w.now())
}

// Remaining returns how many more hits the window accepts right now.
func (w *SlidingWindow) Remaining() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	used := w.Len() // HAZ lock-reentry-under-defer
	if used >= w.limit {
		return 0
	}
	return w.limit - used
}

// Stats returns used and limit under a single read lock.
func (w *SlidingWindow) Stats() (used, limit int) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.countLocked(w.now()), w.limit
}

// Snapshot returns a copy of the hit log, oldest first.
func (w *SlidingWindow) Snapshot() []time.Time {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]time.Time, len(w.hits))
	copy(out, w.hits)
	return out
}

// Merge folds the hits of other into w, e.g. when two tenant IDs are aliased.
func (w *SlidingWindow) Merge(other *SlidingWindow) {
	if other == w {
		return
	}
	// Copy other's log before taking our own lock so two concurrent merges
	// in opposite directions cannot deadlock on lock order.
	incoming := other.Snapshot()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hits = append(w.hits, incoming...)
	sort.Slice(w.hits, func(i, j int) bool { return w.hits[i].Before(w.hits[j]) })
	w.pruneLocked(w.now())
}
