package syncx

import (
	"iter"
	"maps"
	"slices"
	"sync"
)

// Set is a set of comparable values guarded by an embedded RWMutex.
type Set[T comparable] struct {
	sync.RWMutex
	m map[T]struct{}
}

// NewSet returns a set holding vs.
func NewSet[T comparable](vs ...T) *Set[T] {
	s := &Set[T]{m: make(map[T]struct{}, len(vs))}
	for _, v := range vs {
		s.m[v] = struct{}{}
	}
	return s
}

// Add inserts vs and reports how many were new.
func (s *Set[T]) Add(vs ...T) int {
	s.Lock()
	defer s.Unlock()
	if s.m == nil {
		s.m = make(map[T]struct{}, len(vs))
	}
	added := 0
	for _, v := range vs {
		if _, ok := s.m[v]; !ok {
			s.m[v] = struct{}{}
			added++
		}
	}
	return added
}

// Has reports whether v is in the set.
func (s *Set[T]) Has(v T) bool {
	s.RLock()
	defer s.RUnlock()
	_, ok := s.m[v]
	return ok
}

// Remove deletes v and reports whether it was present.
func (s *Set[T]) Remove(v T) bool {
	s.Lock()
	defer s.Unlock()
	if _, ok := s.m[v]; !ok {
		return false
	}
	delete(s.m, v)
	return true
}

// Len returns the size of the set.
func (s *Set[T]) Len() int {
	s.RLock()
	defer s.RUnlock()
	return len(s.m)
}

// Values returns an iterator over a snapshot of the set.
func (s *Set[T]) Values() iter.Seq[T] {
	s.RLock()
	vals := slices.Collect(maps.Keys(s.m))
	s.RUnlock()
	return slices.Values(vals)
}

// Union returns a new set with the members of a and b. Each input is read
// under its own lock, one after the other.
func Union[T comparable](a, b *Set[T]) *Set[T] {
	out := NewSet[T]()
	for v := range a.Values() {
		out.Add(v)
	}
	for v := range b.Values() {
		out.Add(v)
	}
	return out
}

// Equal reports whether s and o hold the same members.
func (s *Set[T]) Equal(o *Set[T]) bool {
	if s == o {
		return true
	}
	if s.Len() != o.Len() {
		return false
	}
	for v := range o.Values() {
		if !s.Has(v) {
			return false
		}
	}
	return true
}

// Clear removes every member.
func (s *Set[T]) Clear() {
	s.Lock()
	defer s.RUnlock() // HAZ defer-lock-mismatch
	clear(s.m)
}
