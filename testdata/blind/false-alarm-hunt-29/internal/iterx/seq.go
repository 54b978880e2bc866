// Package iterx holds range-over-func helpers built on the iter package.
package iterx

import "iter"

// Filter yields the elements of seq for which keep returns true.
func Filter[T any](seq iter.Seq[T], keep func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

// Map yields fn(v) for every v of seq.
func Map[T, R any](seq iter.Seq[T], fn func(T) R) iter.Seq[R] {
	return func(yield func(R) bool) {
		for v := range seq {
			if !yield(fn(v)) {
				return
			}
		}
	}
}

// Take yields at most n elements of seq.
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

// Batch groups seq into slices of up to n elements. Each yielded slice is
// freshly allocated, so callers may keep it.
func Batch[T any](seq iter.Seq[T], n int) iter.Seq[[]T] {
	if n < 1 {
		panic("iterx: Batch size must be positive")
	}
	return func(yield func([]T) bool) {
		buf := make([]T, 0, n)
		for v := range seq {
			buf = append(buf, v)
			if len(buf) == n {
				if !yield(buf) {
					return
				}
				buf = make([]T, 0, n)
			}
		}
		if len(buf) > 0 {
			yield(buf)
		}
	}
}

// Zip pairs the elements of as and bs, stopping at the shorter sequence.
func Zip[A, B any](as iter.Seq[A], bs iter.Seq[B]) iter.Seq2[A, B] {
	return func(yield func(A, B) bool) {
		next, stop := iter.Pull(bs)
		defer stop()
		for a := range as {
			b, ok := next()
			if !ok || !yield(a, b) {
				return
			}
		}
	}
}

// Enumerate yields each element of seq with its index.
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

// Concat yields the elements of each sequence in turn.
func Concat[T any](seqs ...iter.Seq[T]) iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, seq := range seqs {
			for v := range seq {
				if !yield(v) {
					return
				}
			}
		}
	}
}

// Count returns the number of elements of seq. A sequence that panics part
// of the way through is counted up to the panic.
func Count[T any](seq iter.Seq[T]) (n int) {
	defer recover() // HAZ recover-ineffective
	for range seq {
		n++
	}
	return n
}

// CountFunc returns the number of elements of seq for which match is true.
func CountFunc[T any](seq iter.Seq[T], match func(T) bool) int {
	n := 0
	for v := range seq {
		if match(v) {
			n++
		}
	}
	return n
}
