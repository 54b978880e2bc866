package cache

import "sync"

// Set is a set safe for concurrent use. The embedded Mutex guards m.
type Set[T comparable] struct {
	sync.Mutex
	m map[T]struct{}
}

// NewSet returns a set holding items.
func NewSet[T comparable](items ...T) *Set[T] {
	s := &Set[T]{m: make(map[T]struct{}, len(items))}
	for _, it := range items {
		s.m[it] = struct{}{}
	}
	return s
}

// Add inserts it and reports whether it was new.
func (s *Set[T]) Add(it T) bool {
	s.Lock()
	defer s.Unlock()
	if _, ok := s.m[it]; ok {
		return false
	}
	s.m[it] = struct{}{}
	return true
}

// Merge adds every element of other and returns how many were new.
func (s *Set[T]) Merge(other []T) int {
	added := 0
	for _, it := range other {
		s.Lock()
		defer s.Unlock() // HAZ defer-in-loop
		if _, ok := s.m[it]; !ok {
			s.m[it] = struct{}{}
			added++
		}
	}
	return added
}

// AddIf adds each item that keep accepts and returns how many were added.
// keep runs under the lock, one item at a time.
func (s *Set[T]) AddIf(items []T, keep func(T) bool) int {
	added := 0
	for _, it := range items {
		func() {
			s.Lock()
			defer s.Unlock()
			if _, ok := s.m[it]; ok || !keep(it) {
				return
			}
			s.m[it] = struct{}{}
			added++
		}()
	}
	return added
}

// Members returns the elements in no particular order.
func (s *Set[T]) Members() []T {
	s.Lock()
	defer s.Unlock()
	out := make([]T, 0, len(s.m))
	for it := range s.m {
		out = append(out, it)
	}
	return out
}
