// Package ring provides a fixed-size, concurrency-safe ring buffer used for
// per-room message history.
package ring

import "sync"

// Buffer keeps the most recent Cap() values pushed into it.
type Buffer[T any] struct {
	mu    sync.RWMutex
	buf   []T
	start int
	n     int
}

// New returns a buffer holding at most capacity values.
func New[T any](capacity int) *Buffer[T] {
	if capacity < 1 {
		capacity = 1
	}
	return &Buffer[T]{buf: make([]T, capacity)}
}

// Push appends v, overwriting the oldest value when full.
func (b *Buffer[T]) Push(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n < len(b.buf) {
		b.buf[(b.start+b.n)%len(b.buf)] = v
		b.n++
		return
	}
	b.buf[b.start] = v
	b.start = (b.start + 1) % len(b.buf)
}

// Len returns the number of stored values.
func (b *Buffer[T]) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.n
}

// Cap returns the capacity; it never changes, so no lock is needed.
func (b *Buffer[T]) Cap() int { return len(b.buf) }

// Snapshot returns all stored values, oldest first.
func (b *Buffer[T]) Snapshot() []T {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.lastLocked(b.n)
}

// Last returns the newest k values, oldest first.
func (b *Buffer[T]) Last(k int) []T {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if k > b.n {
		k = b.n
	}
	return b.lastLocked(k)
}

// lastLocked copies the newest k values; b.mu must be held.
func (b *Buffer[T]) lastLocked(k int) []T {
	out := make([]T, 0, k)
	for i := b.n - k; i < b.n; i++ {
		out = append(out, b.buf[(b.start+i)%len(b.buf)])
	}
	return out
}

// Drain returns all values and empties the buffer.
func (b *Buffer[T]) Drain() []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.lastLocked(b.n)
	b.start, b.n = 0, 0
	return out
}

// Reset empties the buffer and releases references to old values.
func (b *Buffer[T]) Reset() {
	var zero T
	b.mu.Lock()
	for i := range b.buf {
		b.buf[i] = zero
	}
	b.start, b.n = 0, 0
	b.mu.Unlock()
}
