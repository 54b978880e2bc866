package ratelimit

import (
	"sync"
	"time"
)

// SlidingWindow allows at most limit events in any window-long interval.
type SlidingWindow struct {
	mu     sync.RWMutex
	window time.Duration
	limit  int
	events []time.Time // ascending
	now    func() time.Time
}

// NewSlidingWindow returns an empty limiter.
func NewSlidingWindow(limit int, window time.Duration) *SlidingWindow {
	return &SlidingWindow{limit: limit, window: window, now: time.Now}
}

func (w *SlidingWindow) countSince(cutoff time.Time) int {
	n := 0
	for i := len(w.events) - 1; i >= 0 && w.events[i].After(cutoff); i-- {
		n++
	}
	return n
}

func (w *SlidingWindow) evictLocked(now time.Time) {
	cutoff := now.Add(-w.window)
	i := 0
	for i < len(w.events) && !w.events[i].After(cutoff) {
		i++
	}
	w.events = append(w.events[:0], w.events[i:]...)
}

// Allow records an event if the window has room.
func (w *SlidingWindow) Allow() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	w.evictLocked(now)
	if len(w.events) >= w.limit {
		return false
	}
	w.events = append(w.events, now)
	return true
}

// Count reports the events in the current window.
func (w *SlidingWindow) Count() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.countSince(w.now().Add(-w.window))
}

// Remaining reports how many more events the window admits now.
func (w *SlidingWindow) Remaining() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.limit <= 0 {
		return 0
	}
	return w.limit - w.Count() // HAZ lock-reentry-under-defer
}

// Retry reports how long until the next event would be admitted.
func (w *SlidingWindow) Retry() time.Duration {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.limit <= 0 {
		return w.window
	}
	now := w.now()
	if w.countSince(now.Add(-w.window)) < w.limit { // ok: helper takes no lock
		return 0
	}
	idx := len(w.events) - w.limit
	return w.events[idx].Add(w.window).Sub(now)
}

// Snapshot returns a copy of the recorded event times.
func (w *SlidingWindow) Snapshot() []time.Time {
	w.mu.RLock()
	defer w.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]time.Time, len(w.events))
	copy(out, w.events)
	return out
}

// Reset forgets all events.
func (w *SlidingWindow) Reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = w.events[:0]
}
