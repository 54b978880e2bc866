package ratelimit

import (
	"sync"
	"time"
)

// Window is a sliding-window log limiter: at most Max events in any Span.
type Window struct {
	mu     sync.RWMutex
	max    int
	span   time.Duration
	events []time.Time
	now    func() time.Time
	onDeny func(at time.Time)
}

// WindowOption configures a Window.
type WindowOption func(*Window)

// OnDeny installs a hook called (without the lock) when an event is denied.
func OnDeny(fn func(time.Time)) WindowOption {
	return func(w *Window) { w.onDeny = fn }
}

// NewWindow returns a limiter allowing max events per span.
func NewWindow(max int, span time.Duration, opts ...WindowOption) *Window {
	w := &Window{max: max, span: span, now: time.Now}
	for _, o := range opts {
		o(w)
	}
	return w
}

// pruneLocked drops events older than the window. w.mu must be held.
func (w *Window) pruneLocked(now time.Time) {
	cut := now.Add(-w.span)
	i := 0
	for i < len(w.events) && !w.events[i].After(cut) {
		i++
	}
	w.events = w.events[i:]
}

// Allow records an event if the window has room.
func (w *Window) Allow() bool {
	now := w.now()
	ok := w.tryRecord(now)
	if !ok && w.onDeny != nil {
		w.onDeny(now)
	}
	return ok
}

func (w *Window) tryRecord(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pruneLocked(now)
	if len(w.events) >= w.max {
		return false
	}
	w.events = append(w.events, now)
	return true
}

// Remaining returns how many events are still allowed right now.
func (w *Window) Remaining() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	cut := w.now().Add(-w.span)
	n := 0
	for _, t := range w.events {
		if t.After(cut) {
			n++
		}
	}
	if n >= w.max {
		return 0
	}
	return w.max - n
}

// RetryAfter returns how long until the next event would be allowed.
func (w *Window) RetryAfter() time.Duration {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if len(w.events) < w.max {
		return 0
	}
	oldest := w.events[len(w.events)-w.max]
	d := oldest.Add(w.span).Sub(w.now())
	if d < 0 {
		return 0
	}
	return d
}

// Reset forgets all recorded events.
func (w *Window) Reset() {
	w.mu.Lock()
	w.events = w.events[:0]
	w.mu.Unlock()
}
