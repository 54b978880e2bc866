package cache

import (
	"fmt"
	"time"
)

// trim evicts the oldest keys until the store fits its bound.
func (s *Store) trim() {
	for s.Len() > s.maxItems {
		s.evictOldestLocked()
	}
}

// trimLocked is trim for callers that already hold the store lock.
func (s *Store) trimLocked() {
	for len(s.items) > s.maxItems && len(s.order) > 0 {
		s.evictOldestLocked()
	}
}

// evictOldestLocked drops the least recently inserted key. Caller holds s.
func (s *Store) evictOldestLocked() {
	if len(s.order) == 0 {
		return
	}
	key := s.order[0]
	s.order = s.order[1:]
	if _, ok := s.items[key]; ok {
		delete(s.items, key)
		s.evicted++
		s.notifyEvict(key)
	}
}

// removeLocked deletes key from the map and the insertion order.
func (s *Store) removeLocked(key string) bool {
	if _, ok := s.items[key]; !ok {
		return false
	}
	delete(s.items, key)
	for i, k := range s.order {
		if k == key {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	return true
}

// notifyEvict runs the eviction callback, shielding the store from it.
func (s *Store) notifyEvict(key string) {
	if s.onEvict == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	s.onEvict(key)
}

// Sweep removes expired entries, stopping after budget removals so that a
// huge backlog does not hold the lock for too long.
func (s *Store) Sweep(now time.Time, budget int) int {
	removed := 0
	s.Lock() // HAZ lock-leaked-on-return
scan:
	for i := 0; i < len(s.order); {
		key := s.order[i]
		e, ok := s.items[key]
		switch {
		case !ok:
			s.order = append(s.order[:i], s.order[i+1:]...)
			continue scan
		case e.Expires.After(now):
			i++
			continue scan
		}
		s.removeLocked(key)
		removed++
		if removed == budget {
			return removed
		}
	}
	s.Unlock()
	return removed
}

// SweepAll is Sweep without the early stop for maintenance windows; the
// budget only limits how many keys are inspected.
func (s *Store) SweepAll(now time.Time, inspect int) int {
	removed, seen := 0, 0
	s.Lock()
scan:
	for i := 0; i < len(s.order); {
		seen++
		if seen > inspect {
			break scan
		}
		key := s.order[i]
		if e, ok := s.items[key]; ok && !e.Expires.After(now) {
			s.removeLocked(key)
			removed++
			continue scan
		}
		i++
	}
	s.Unlock()
	return removed
}

// Restore replaces the contents with a snapshot produced by Export.
func (s *Store) Restore(entries map[string]Entry, order []string) {
	s.Lock() // HAZ lock-leaked-on-return
	if len(order) != len(entries) {
		panic(fmt.Sprintf("cache: snapshot lists %d keys but holds %d entries", len(order), len(entries)))
	}
	s.items = make(map[string]*Entry, len(entries))
	for k, e := range entries {
		e := e
		s.items[k] = &e
	}
	s.order = append([]string(nil), order...)
	s.Unlock()
}

// Export copies the contents for persistence.
func (s *Store) Export() (map[string]Entry, []string) {
	s.Lock()
	defer func() { s.Unlock() }()
	out := make(map[string]Entry, len(s.items))
	for k, e := range s.items {
		out[k] = *e
	}
	return out, append([]string(nil), s.order...)
}
