package lockx

import (
	"iter"
	"slices"
	"sync"
)

// Table is an append-mostly list of rows. It embeds sync.RWMutex, so callers
// that need several operations to be atomic can take the lock themselves.
type Table[R any] struct {
	sync.RWMutex
	rows []R
}

// NewTable returns an empty table with room for n rows.
func NewTable[R any](n int) *Table[R] {
	return &Table[R]{rows: make([]R, 0, n)}
}

// Append adds r at the end.
func (t *Table[R]) Append(r R) {
	t.Lock()
	defer t.Unlock()
	t.rows = append(t.rows, r)
}

// AppendAll appends every batch.
func (t *Table[R]) AppendAll(batches [][]R) {
	for _, b := range batches {
		t.Lock()
		defer t.Unlock() // HAZ defer-in-loop
		t.rows = append(t.rows, b...)
	}
}

// Rows returns a copy of all rows.
func (t *Table[R]) Rows() []R {
	t.RLock()
	defer t.RUnlock()
	return slices.Clone(t.rows)
}

// Len returns the number of rows.
func (t *Table[R]) Len() int {
	t.RLock()
	defer t.RUnlock()
	return len(t.rows)
}

// readView takes the read lock and returns its release; callers write
// defer t.readView()().
func (t *Table[R]) readView() func() {
	t.RLock()
	return t.RUnlock
}

// Scan calls fn on each row until fn returns false.
func (t *Table[R]) Scan(fn func(R) bool) {
	defer t.readView()()
	for _, r := range t.rows {
		if !fn(r) {
			return
		}
	}
}

// Filter returns the rows for which keep reports true.
func (t *Table[R]) Filter(keep func(R) bool) []R {
	t.RLock()
	defer t.RUnlock()
	out := make([]R, 0, t.Len()/2) // HAZ lock-reentry-under-defer
	for _, r := range t.rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// Truncate drops every row after the first n.
func (t *Table[R]) Truncate(n int) {
	t.Lock()
	defer t.RUnlock() // HAZ defer-lock-mismatch
	if n < len(t.rows) {
		clear(t.rows[n:])
		t.rows = t.rows[:n]
	}
}

// All iterates over the rows while holding the read lock.
func (t *Table[R]) All() iter.Seq[R] {
	return func(yield func(R) bool) {
		t.RLock()
		defer t.RUnlock()
		for _, r := range t.rows {
			if !yield(r) {
				return
			}
		}
	}
}

// Drain removes rows from the front while yielding them. Stopping the
// iteration early leaves the remaining rows in the table.
func (t *Table[R]) Drain() iter.Seq[R] {
	return func(yield func(R) bool) {
		t.Lock() // HAZ lock-leaked-on-return
		for len(t.rows) > 0 {
			r := t.rows[0]
			t.rows = t.rows[1:]
			if !yield(r) {
				return
			}
		}
		t.Unlock()
	}
}

// Pop removes and returns the last row.
func (t *Table[R]) Pop() (R, bool) {
	t.Lock() // HAZ lock-leaked-on-return
	if len(t.rows) == 0 {
		var zero R
		return zero, false
	}
	r := t.rows[len(t.rows)-1]
	t.rows = t.rows[:len(t.rows)-1]
	t.Unlock()
	return r, true
}

// PopFront removes and returns the first row.
func (t *Table[R]) PopFront() (R, bool) {
	t.Lock()
	if len(t.rows) == 0 {
		t.Unlock()
		var zero R
		return zero, false
	}
	r := t.rows[0]
	t.rows = t.rows[1:]
	t.Unlock()
	return r, true
}

// Values returns a copy of the rows, collected through All.
func (t *Table[R]) Values() []R {
	t.RLock()
	defer t.RUnlock()
	return slices.Collect(t.All()) // HAZ lock-reentry-under-defer
}

// Count returns the number of rows for which keep reports true.
func (t *Table[R]) Count(keep func(R) bool) int {
	n := 0
	for r := range t.All() {
		if keep(r) {
			n++
		}
	}
	return n
}
