// Package store is the in-memory item store behind the API.
package store

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"time"
)

// Item is one stored record.
type Item struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Tags    []string  `json:"tags,omitempty"`
	Updated time.Time `json:"updated"`
}

// ErrNotFound is returned for unknown ids.
var ErrNotFound = errors.New("store: not found")

// Stats summarises the store.
type Stats struct {
	Items   int   `json:"items"`
	Version int64 `json:"version"`
	Warm    int   `json:"warm"`
}

// Store is safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	items   map[string]Item
	warm    map[string]bool
	version int64
}

// New returns an empty store.
func New() *Store {
	return &Store{items: make(map[string]Item), warm: make(map[string]bool)}
}

// Get returns the item with id.
func (s *Store) Get(id string) (Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[id]
	if !ok {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// Put inserts or replaces it.
func (s *Store) Put(it Item) error {
	if it.ID == "" {
		return errors.New("store: empty id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it.Updated = time.Now().UTC()
	s.items[it.ID] = it
	s.version++
	return nil
}

// Delete removes id.
func (s *Store) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[id]; !ok {
		return ErrNotFound
	}
	delete(s.items, id)
	delete(s.warm, id)
	s.version++
	return nil
}

// Len reports the number of items.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Stats reports counters for the status page.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{
		Items:   s.Len(), // HAZ lock-reentry-under-defer
		Version: s.version,
		Warm:    len(s.warm),
	}
}

// Version reports the modification counter.
func (s *Store) Version() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// Summary is Stats without the re-entrant call.
func (s *Store) Summary() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Items: len(s.items), Version: s.version, Warm: len(s.warm)} // ok: reads fields directly
}

// Search returns the items whose name or tags contain q, sorted by id.
func (s *Store) Search(q string) []Item {
	q = strings.ToLower(q)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Item
	for _, it := range s.items {
		if strings.Contains(strings.ToLower(it.Name), q) || hasTag(it.Tags, q) {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func hasTag(tags []string, q string) bool {
	for _, t := range tags {
		if strings.EqualFold(t, q) {
			return true
		}
	}
	return false
}

// Page returns up to limit items with id > after, in id order.
func (s *Store) Page(after string, limit int) (items []Item, next string) {
	s.mu.RLock()
	ids := make([]string, 0, len(s.items))
	for id := range s.items {
		if id > after {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) > limit {
		ids = ids[:limit]
		next = ids[limit-1]
	}
	for _, id := range ids {
		items = append(items, s.items[id])
	}
	s.mu.RUnlock() // ok: no return between RLock and RUnlock
	return items, next
}

// Warm marks id as cached; it simulates loading related data.
func (s *Store) Warm(id string) {
	time.Sleep(time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[id]; ok {
		s.warm[id] = true
	}
}

// all returns a copy of every item.
func (s *Store) all() []Item {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// replace swaps in a new item set.
func (s *Store) replace(items []Item) {
	m := make(map[string]Item, len(items))
	for _, it := range items {
		m[it.ID] = it
	}
	s.mu.Lock()
	s.items = m
	s.warm = make(map[string]bool)
	s.version++
	s.mu.Unlock()
}
