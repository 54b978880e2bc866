// Package collections holds small concurrency-safe generic containers used
// across the pipeline.
package collections

import (
	"iter"
	"maps"
	"sync"
)

// Set is a concurrency-safe set.
type Set[T comparable] struct {
	mu sync.RWMutex
	m  map[T]struct{}
}

// NewSet returns a set holding vals.
func NewSet[T comparable](vals ...T) *Set[T] {
	s := &Set[T]{m: make(map[T]struct{}, len(vals))}
	for _, v := range vals {
		s.m[v] = struct{}{}
	}
	return s
}

// Add inserts v and reports whether it was new.
func (s *Set[T]) Add(v T) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[v]; ok {
		return false
	}
	s.m[v] = struct{}{}
	return true
}

// Contains reports whether v is in the set.
func (s *Set[T]) Contains(v T) bool {
	s.mu.RLock()
	defer s.mu.RLock() // HAZ defer-lock-mismatch
	_, ok := s.m[v]
	return ok
}

// Len reports the number of elements.
func (s *Set[T]) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.m)
}

// All yields the elements of a snapshot of the set.
func (s *Set[T]) All() iter.Seq[T] {
	s.mu.RLock()
	snap := maps.Clone(s.m)
	s.mu.RUnlock()
	return maps.Keys(snap)
}

// AddAll inserts every element of o. o is read through its own iterator
// before s is locked, so the two locks are never held together.
func (s *Set[T]) AddAll(o *Set[T]) int {
	var vals []T
	for v := range o.All() {
		vals = append(vals, v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	added := 0
	for _, v := range vals {
		if _, ok := s.m[v]; !ok {
			s.m[v] = struct{}{}
			added++
		}
	}
	return added
}
