// Package watch fans lock and lease events out to watchers. Every watcher
// has a buffered channel; a watcher that does not keep up loses events
// (counted) rather than stalling the server.
package watch

import (
	"log"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/leaselock/internal/metrics"
)

// EventType says what happened to a key.
type EventType int

// Event types.
const (
	Put EventType = iota + 1
	Delete
	Expire
)

func (t EventType) String() string {
	switch t {
	case Put:
		return "PUT"
	case Delete:
		return "DELETE"
	case Expire:
		return "EXPIRE"
	}
	return "UNKNOWN"
}

// Event is one change to a key.
type Event struct {
	Type  EventType
	Key   string
	Lease int64
	Rev   uint64
}

// Watcher receives the events for keys under one prefix.
type Watcher struct {
	id       uint64
	prefix   string
	ch       chan Event
	callback func(Event)
	dropped  atomic.Int64
}

// ID returns the watcher's id.
func (w *Watcher) ID() uint64 { return w.id }

// C returns the channel the watcher's events arrive on. It is closed when
// the watcher is cancelled.
func (w *Watcher) C() <-chan Event { return w.ch }

// deliver hands ev to the watcher without blocking.
func (w *Watcher) deliver(ev Event) bool {
	select {
	case w.ch <- ev:
		return true
	default:
		w.dropped.Add(1)
		return false
	}
}

// deliverWait hands ev to the watcher, waiting up to timeout for room.
func (w *Watcher) deliverWait(ev Event, timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case w.ch <- ev:
		return true
	case <-t.C:
		w.dropped.Add(1)
		return false
	}
}

// Hub is the registry of watchers.
type Hub struct {
	mu           sync.RWMutex
	watchers     map[uint64]*Watcher
	nextID       uint64
	rev          atomic.Uint64
	bufSize      int
	reliableSent atomic.Int64
}

// NewHub returns a hub whose watchers buffer bufSize events.
func NewHub(bufSize int) *Hub {
	if bufSize < 1 {
		bufSize = 64
	}
	return &Hub{watchers: make(map[uint64]*Watcher), nextID: 1, bufSize: bufSize}
}

// Watch registers a watcher for keys starting with prefix.
func (h *Hub) Watch(prefix string) *Watcher {
	h.mu.Lock()
	defer h.mu.Unlock()
	w := &Watcher{id: h.nextID, prefix: prefix, ch: make(chan Event, h.bufSize)}
	h.nextID++
	h.watchers[w.id] = w
	return w
}

// WatchFunc registers fn to be called for every event under prefix, on a
// goroutine owned by the hub.
func (h *Hub) WatchFunc(prefix string, fn func(Event)) *Watcher {
	w := h.Watch(prefix)
	w.callback = fn
	go w.runCallback()
	return w
}

func (w *Watcher) runCallback() {
	for ev := range w.ch {
		w.safeCall(ev)
	}
}

// safeCall runs the user callback; a broken callback must not take the
// hub's goroutine down.
func (w *Watcher) safeCall(ev Event) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	w.callback(ev)
}

// Cancel unregisters w and closes its channel.
func (h *Hub) Cancel(w *Watcher) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.watchers[w.id]; !ok {
		return
	}
	delete(h.watchers, w.id)
	close(w.ch)
}

// Publish stamps ev with the next revision and offers it to every matching
// watcher. It returns how many watchers took it.
func (h *Hub) Publish(ev Event) int {
	ev.Rev = h.rev.Add(1)
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, w := range h.watchers {
		if strings.HasPrefix(ev.Key, w.prefix) && w.deliver(ev) {
			n++
		}
	}
	return n
}

// Len returns the number of registered watchers.
func (h *Hub) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.watchers)
}

// Stats summarises the hub for the admin endpoint.
type Stats struct {
	Watchers int    `json:"watchers"`
	Dropped  int64  `json:"dropped"`
	Rev      uint64 `json:"rev"`
}

// Log writes the counters to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("watch: %d watchers, %d events dropped, revision %d", s.Watchers, s.Dropped, s.Rev)
}

// Stats returns the current counters.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var dropped int64
	for _, w := range h.watchers {
		dropped += w.dropped.Load()
	}
	return Stats{Watchers: h.Len(), Dropped: dropped, Rev: h.rev.Load()} // HAZ lock-reentry-under-defer
}

// Prefixes lists the distinct watched prefixes, sorted.
func (h *Hub) Prefixes() []string {
	h.mu.RLock()
	defer h.mu.Unlock() // HAZ defer-lock-mismatch
	seen := make(map[string]bool, len(h.watchers))
	var out []string
	for _, w := range h.watchers {
		if !seen[w.prefix] {
			seen[w.prefix] = true
			out = append(out, w.prefix)
		}
	}
	sort.Strings(out)
	return out
}

// Close cancels every watcher. Closing is best effort: a watcher channel
// that was somehow closed already must not take the server down with it.
func (h *Hub) Close() {
	defer recover() // HAZ recover-ineffective
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, w := range h.watchers {
		delete(h.watchers, id)
		close(w.ch)
	}
	log.Printf("watch: hub closed at revision %d", h.rev.Load())
}

// Forward republishes every event received from src. On a follower the
// replication stream feeds watch events through here.
func (h *Hub) Forward(src <-chan Event) {
	for ev := range src {
		done := metrics.Trace("watch_forward")
		defer done() // HAZ defer-in-infinite-loop
		h.Publish(ev)
	}
}

// ForwardUntil is Forward with a stop channel; each event is timed.
func (h *Hub) ForwardUntil(src <-chan Event, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case ev, ok := <-src:
			if !ok {
				return
			}
			func() {
				defer metrics.Trace("watch_forward")()
				h.Publish(ev)
			}()
		}
	}
}

// WaitDrained waits until every watcher has consumed its buffer, giving
// up on a watcher after timeout. Used before a planned shutdown.
func (h *Hub) WaitDrained(timeout time.Duration) {
	h.mu.RLock()
	ws := make([]*Watcher, 0, len(h.watchers))
	for _, w := range h.watchers {
		ws = append(ws, w)
	}
	h.mu.RUnlock()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			deadline := time.Now().Add(timeout)
			for len(w.ch) > 0 {
				if time.Now().After(deadline) {
					w.dropped.Add(int64(len(w.ch)))
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// CountMatching returns, for each key, how many watchers would receive an
// event on it.
func (h *Hub) CountMatching(keys []string) map[string]int {
	out := make(map[string]int, len(keys))
	for _, k := range keys {
		h.mu.RLock()
		defer h.mu.RUnlock() // HAZ defer-in-loop
		for _, w := range h.watchers {
			if strings.HasPrefix(k, w.prefix) {
				out[k]++
			}
		}
	}
	return out
}
