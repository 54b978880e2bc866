package cache

import "sync"

// Batcher groups values into batches of max and hands them to a consumer.
type Batcher[T any] struct {
	mu      sync.Mutex
	buf     []T
	max     int
	out     chan []T
	dropped int
}

// NewBatcher returns a batcher whose consumer reads from C.
func NewBatcher[T any](max int) *Batcher[T] {
	return &Batcher[T]{max: max, buf: make([]T, 0, max), out: make(chan []T)}
}

// C is the channel full batches are delivered on.
func (b *Batcher[T]) C() <-chan []T { return b.out }

// Add appends v and hands over the batch once it is full.
func (b *Batcher[T]) Add(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, v)
	if len(b.buf) < b.max {
		return
	}
	full := b.buf
	b.buf = make([]T, 0, b.max)
	defer func() { b.out <- full }() // HAZ defer-blocking-call
}

// TryAdd is Add that never waits for the consumer: a full batch nobody is
// ready to take is dropped and reported through the named result.
func (b *Batcher[T]) TryAdd(v T) (delivered bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, v)
	if len(b.buf) < b.max {
		return true
	}
	full := b.buf
	b.buf = make([]T, 0, b.max)
	defer func() {
		select {
		case b.out <- full:
		default:
			b.dropped += len(full)
			delivered = false
		}
	}()
	return true
}

// Dropped reports how many values TryAdd has dropped.
func (b *Batcher[T]) Dropped() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}
