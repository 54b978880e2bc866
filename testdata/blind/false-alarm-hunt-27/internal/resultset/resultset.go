// Package resultset turns *sql.Rows into typed iterators. Some wire drivers
// panic on corrupted frames; the iterators convert such panics into errors
// so that one bad row does not take the process down.
package resultset

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Rows is the subset of *sql.Rows the iterators need.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// ErrDriverPanic marks errors converted from a driver panic.
var ErrDriverPanic = errors.New("resultset: driver panic")

// ErrEmpty is returned by First when the result has no rows.
var ErrEmpty = errors.New("resultset: no rows")

// Iter iterates over rows, decoding each one with scan.
type Iter[T any] struct {
	rows     Rows
	scan     func(Rows) (T, error)
	cur      T
	err      error
	closeErr error
	closed   bool
}

// New returns an iterator over rows. The iterator owns rows and closes them.
func New[T any](rows Rows, scan func(Rows) (T, error)) *Iter[T] {
	return &Iter[T]{rows: rows, scan: scan}
}

// Next advances to the next row. It returns false at the end, on error and
// when the driver panics; Err tells them apart.
func (it *Iter[T]) Next() (ok bool) {
	if it.closed || it.err != nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			it.err = panicError(r)
			it.closeRows()
			ok = false
		}
	}()
	if !it.rows.Next() {
		it.err = it.rows.Err()
		it.closeRows()
		return false
	}
	v, err := it.scan(it.rows)
	if err != nil {
		it.err = err
		it.closeRows()
		return false
	}
	it.cur = v
	return true
}

// Value returns the current row.
func (it *Iter[T]) Value() T { return it.cur }

// Err returns the error that ended the iteration, if any.
func (it *Iter[T]) Err() error { return it.err }

// Close releases the rows. It is safe to call more than once.
func (it *Iter[T]) Close() error {
	it.closeRows()
	return it.closeErr
}

func (it *Iter[T]) closeRows() {
	if it.closed {
		return
	}
	it.closed = true
	it.closeErr = it.rows.Close()
}

func panicError(r any) error {
	if err, ok := r.(error); ok {
		return fmt.Errorf("%w: %w", ErrDriverPanic, err)
	}
	return fmt.Errorf("%w: %v", ErrDriverPanic, r)
}

// catch turns a panic into an error on *errp. It must be deferred
// directly: defer catch(&err).
func catch(errp *error) {
	if r := recover(); r != nil {
		*errp = errors.Join(*errp, panicError(r))
	}
}

// recoverInto records a panic on *errp, prefixed with op.
func recoverInto(errp *error, op string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		*errp = fmt.Errorf("%s: %w", op, panicError(r))
	}
}

// Collect drains the iterator into a slice and closes it.
func Collect[T any](it *Iter[T]) (out []T, err error) {
	defer catch(&err)
	defer func() { err = errors.Join(err, it.Close()) }()
	for it.Next() {
		out = append(out, it.Value())
	}
	return out, it.Err()
}

// First returns the first row and closes the iterator.
func First[T any](it *Iter[T]) (v T, err error) {
	defer func() {
		recoverInto(&err, "resultset.First")
		err = errors.Join(err, it.Close())
	}()
	if !it.Next() {
		if err := it.Err(); err != nil {
			return v, err
		}
		return v, ErrEmpty
	}
	return it.Value(), nil
}

// All adapts the iterator for range-over-func. The rows are closed when the
// loop ends, also when the caller breaks out early.
func All[T any](it *Iter[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		defer it.Close()
		for it.Next() {
			if !yield(it.Value(), nil) {
				return
			}
		}
		if err := it.Err(); err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// Batches streams the rows in slices of up to size elements. The producer
// goroutine is the only sender on the channel and closes it; it stops when
// ctx is cancelled, so an abandoned consumer does not leak it.
func Batches[T any](ctx context.Context, it *Iter[T], size int) <-chan []T {
	if size < 1 {
		size = 1
	}
	out := make(chan []T)
	go func() {
		defer close(out)
		defer it.Close()
		batch := make([]T, 0, size)
		for it.Next() {
			batch = append(batch, it.Value())
			if len(batch) < size {
				continue
			}
			select {
			case out <- batch:
				batch = make([]T, 0, size)
			case <-ctx.Done():
				return
			}
		}
		if len(batch) > 0 {
			select {
			case out <- batch:
			case <-ctx.Done():
			}
		}
	}()
	return out
}

// Int64s scans a single integer column.
func Int64s(rows Rows) (int64, error) {
	var v int64
	err := rows.Scan(&v)
	return v, err
}

// Strings scans a single text column.
func Strings(rows Rows) (string, error) {
	var v string
	err := rows.Scan(&v)
	return v, err
}
