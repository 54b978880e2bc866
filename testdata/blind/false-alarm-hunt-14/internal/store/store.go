// Package store is the relay's in-memory event store with bounded capacity.
package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"example.com/fah14/internal/clock"
)

// Event is one received webhook.
type Event struct {
	ID       string    `json:"id"`
	Topic    string    `json:"topic"`
	Payload  []byte    `json:"payload"`
	Received time.Time `json:"received"`
}

// ErrNotFound is returned for unknown event ids.
var ErrNotFound = errors.New("store: not found")

// Option configures a Store.
type Option func(*Store)

// WithCapacity bounds the number of events kept; the oldest are evicted.
func WithCapacity(n int) Option {
	return func(s *Store) { s.capacity = n }
}

// WithClock sets the clock used to stamp events without a receive time.
func WithClock(c clock.Clock) Option {
	return func(s *Store) { s.clk = c }
}

// Store keeps events by id, in insertion order.
type Store struct {
	mu       sync.RWMutex
	items    map[string]Event
	order    []string
	capacity int
	evicted  int
	clk      clock.Clock
}

// Stats is a point-in-time summary of the store.
type Stats struct {
	Events   int
	Evicted  int
	Capacity int
}

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{items: make(map[string]Event), clk: clock.Real{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Get returns the event with the given id.
func (s *Store) Get(id string) (Event, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ev, ok := s.items[id]
	return ev, ok
}

// Has reports whether an event with the given id is stored.
func (s *Store) Has(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.items[id]
	return ok
}

// Len returns the number of stored events.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Put stores ev, replacing an event with the same id.
func (s *Store) Put(ev Event) error {
	if ev.ID == "" {
		return errors.New("store: event without id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(ev)
	return nil
}

// putLocked inserts ev and evicts the oldest events beyond capacity.
// The caller holds s.mu for writing.
func (s *Store) putLocked(ev Event) {
	if ev.Received.IsZero() {
		ev.Received = s.clk.Now()
	}
	if _, ok := s.items[ev.ID]; !ok {
		s.order = append(s.order, ev.ID)
	}
	s.items[ev.ID] = ev
	for s.capacity > 0 && len(s.order) > s.capacity {
		oldest := s.order[0]
		s.order = s.order[1:]
		delete(s.items, oldest)
		s.evicted++
	}
}

// PutIfAbsent stores ev unless an event with the same id exists.
func (s *Store) PutIfAbsent(ev Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Has(ev.ID) { // HAZ lock-reentry-under-defer
		return false
	}
	s.putLocked(ev)
	return true
}

// PutAll stores a batch of events.
func (s *Store) PutAll(evs []Event) {
	for _, ev := range evs {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.putLocked(ev)
	}
}

// Replace swaps the whole content of the store for evs, atomically.
func (s *Store) Replace(evs []Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = make(map[string]Event, len(evs))
	s.order = s.order[:0]
	for _, ev := range evs {
		s.putLocked(ev)
	}
}

// Delete removes the event with the given id.
func (s *Store) Delete(id string) error {
	s.mu.Lock()
	if _, ok := s.items[id]; !ok {
		s.mu.Unlock()
		return fmt.Errorf("delete %q: %w", id, ErrNotFound)
	}
	delete(s.items, id)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	s.mu.Unlock()
	return nil
}

// Take removes the event with the given id and returns it.
func (s *Store) Take(id string) (Event, error) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	ev, ok := s.items[id]
	if !ok {
		return Event{}, fmt.Errorf("take %q: %w", id, ErrNotFound)
	}
	delete(s.items, id)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	s.mu.Unlock()
	return ev, nil
}

// IDs returns the stored ids, sorted.
func (s *Store) IDs() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(s.items))
	for id := range s.items {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Stats returns counters for the status page.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Events: len(s.items), Evicted: s.evicted, Capacity: s.capacity}
}

// CopyFrom adds every event of other to s. Copying a store into itself is a
// no-op. The snapshot of other is taken before s is locked, so two stores
// copying from each other cannot deadlock.
func (s *Store) CopyFrom(other *Store) {
	if other == s {
		return
	}
	evs := other.Snapshot().Events
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range evs {
		s.putLocked(ev)
	}
}

// TryCompact reallocates the order index if nobody else holds the lock.
func (s *Store) TryCompact() bool {
	if !s.mu.TryLock() {
		return false
	}
	defer s.mu.Unlock()
	s.order = append([]string(nil), s.order...)
	return true
}

// Stream sends the current events on the returned channel, stopping early
// when ctx is cancelled.
func (s *Store) Stream(ctx context.Context) <-chan Event {
	evs := s.Snapshot().Events
	out := make(chan Event)
	go func() {
		defer close(out)
		for _, ev := range evs {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
