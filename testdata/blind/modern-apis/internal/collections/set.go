// Package collections holds generic containers and iterator helpers built
// on iter.Seq, iter.Seq2 and iter.Pull.
package collections

import (
	"cmp"
	"iter"
	"maps"
	"slices"
)

// Set is an unordered set of comparable values.
type Set[T comparable] map[T]struct{}

// SetOf returns a set holding vs.
func SetOf[T comparable](vs ...T) Set[T] {
	s := make(Set[T], len(vs))
	for _, v := range vs {
		s[v] = struct{}{}
	}
	return s
}

// Collect builds a set from a sequence.
func Collect[T comparable](seq iter.Seq[T]) Set[T] {
	s := make(Set[T])
	for v := range seq {
		s.Add(v)
	}
	return s
}

// Add inserts v and reports whether it was new.
func (s Set[T]) Add(v T) bool {
	if _, ok := s[v]; ok {
		return false
	}
	s[v] = struct{}{}
	return true
}

// Has reports membership.
func (s Set[T]) Has(v T) bool {
	_, ok := s[v]
	return ok
}

// All yields the members in unspecified order.
func (s Set[T]) All() iter.Seq[T] { return maps.Keys(s) }

// Union returns a new set with the members of both.
func (s Set[T]) Union(o Set[T]) Set[T] {
	out := maps.Clone(s)
	if out == nil {
		out = make(Set[T], len(o))
	}
	maps.Copy(out, o)
	return out
}

// Intersect returns the members in both sets.
func (s Set[T]) Intersect(o Set[T]) Set[T] {
	small, big := s, o
	if len(big) < len(small) {
		small, big = big, small
	}
	out := make(Set[T])
	for v := range small {
		if big.Has(v) {
			out[v] = struct{}{}
		}
	}
	return out
}

// Sorted returns the members of a set of ordered values, ascending.
func Sorted[T cmp.Ordered](s Set[T]) []T {
	return slices.Sorted(maps.Keys(s))
}

// Filter yields the values of seq for which keep reports true.
func Filter[T any](seq iter.Seq[T], keep func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

// Map yields f(v) for each v of seq.
func Map[T, U any](seq iter.Seq[T], f func(T) U) iter.Seq[U] {
	return func(yield func(U) bool) {
		for v := range seq {
			if !yield(f(v)) {
				return
			}
		}
	}
}

// Take yields at most n values of seq.
func Take[T any](seq iter.Seq[T], n int) iter.Seq[T] {
	return func(yield func(T) bool) {
		if n <= 0 {
			return
		}
		i := 0
		for v := range seq {
			if !yield(v) {
				return
			}
			i++
			if i == n {
				return
			}
		}
	}
}

// Enumerate pairs each value with its index.
func Enumerate[T any](seq iter.Seq[T]) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		i := 0
		for v := range seq {
			if !yield(i, v) {
				return
			}
			i++
		}
	}
}

// Chunked yields consecutive batches of at most n values.
func Chunked[T any](seq iter.Seq[T], n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		batch := make([]T, 0, n)
		for v := range seq {
			batch = append(batch, v)
			if len(batch) == n {
				if !yield(batch) {
					return
				}
				batch = make([]T, 0, n)
			}
		}
		if len(batch) > 0 {
			yield(batch)
		}
	}
}
