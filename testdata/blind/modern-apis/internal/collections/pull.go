package collections

import (
	"cmp"
	"iter"
)

// Pair is two values from zipped sequences.
type Pair[A, B any] struct {
	First  A
	Second B
}

// Zip yields pairs until the shorter sequence ends.
func Zip[A, B any](as iter.Seq[A], bs iter.Seq[B]) iter.Seq[Pair[A, B]] {
	return func(yield func(Pair[A, B]) bool) {
		nextA, stopA := iter.Pull(as)
		defer stopA()
		nextB, stopB := iter.Pull(bs)
		defer stopB()
		for {
			a, okA := nextA()
			b, okB := nextB()
			if !okA || !okB {
				return
			}
			if !yield(Pair[A, B]{a, b}) {
				return
			}
		}
	}
}

// Equal reports whether two sequences yield equal values.
func Equal[T comparable](x, y iter.Seq[T]) bool {
	nx, stopX := iter.Pull(x)
	defer stopX()
	ny, stopY := iter.Pull(y)
	defer stopY()
	for {
		a, okA := nx()
		b, okB := ny()
		if okA != okB || a != b {
			return false
		}
		if !okA {
			return true
		}
	}
}

// MergeSorted merges ascending sequences into one ascending sequence.
func MergeSorted[T cmp.Ordered](seqs ...iter.Seq[T]) iter.Seq[T] {
	return func(yield func(T) bool) {
		type head struct {
			next func() (T, bool)
			v    T
			ok   bool
		}
		heads := make([]head, len(seqs))
		stops := make([]func(), 0, len(seqs))
		defer func() {
			for _, stop := range stops {
				stop()
			}
		}()
		for i, s := range seqs {
			next, stop := iter.Pull(s)
			stops = append(stops, stop)
			v, ok := next()
			heads[i] = head{next, v, ok}
		}
		for {
			best := -1
			for i, h := range heads {
				if h.ok && (best < 0 || h.v < heads[best].v) {
					best = i
				}
			}
			if best < 0 {
				return
			}
			if !yield(heads[best].v) {
				return
			}
			heads[best].v, heads[best].ok = heads[best].next()
		}
	}
}

// Peek returns the first value of seq and a sequence that yields the rest.
// The caller must call stop when done with rest.
func Peek[T any](seq iter.Seq[T]) (first T, ok bool, rest iter.Seq[T], stop func()) {
	next, stop := iter.Pull(seq)
	first, ok = next()
	rest = func(yield func(T) bool) {
		for {
			v, more := next()
			if !more || !yield(v) {
				return
			}
		}
	}
	return first, ok, rest, stop
}

// Interleave alternates values from primary and, when given, fallback.
func Interleave[T any](primary, fallback iter.Seq[T]) []T {
	var nextB func() (T, bool)
	var stopB func()
	if fallback != nil {
		nextB, stopB = iter.Pull(fallback)
	}
	defer stopB() // HAZ defer-nil-func
	var out []T
	for a := range primary {
		out = append(out, a)
		if nextB != nil {
			if b, ok := nextB(); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// Alternate is Interleave with a no-op stop when there is no fallback.
func Alternate[T any](primary, fallback iter.Seq[T]) []T {
	nextB := func() (T, bool) { var zero T; return zero, false }
	stopB := func() {}
	if fallback != nil {
		nextB, stopB = iter.Pull(fallback)
	}
	defer stopB()
	var out []T
	for a := range primary {
		out = append(out, a)
		if b, ok := nextB(); ok {
			out = append(out, b)
		}
	}
	return out
}

// Windows yields sliding windows of size n over seq.
func Windows[T any](seq iter.Seq[T], n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		next, stop := iter.Pull(seq)
		defer stop()
		win := make([]T, 0, n)
		for {
			v, ok := next()
			if !ok {
				return
			}
			if len(win) == n {
				win = append(win[:0], win[1:]...)
			}
			win = append(win, v)
			if len(win) == n && !yield(append([]T(nil), win...)) {
				return
			}
		}
	}
}
