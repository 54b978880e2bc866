package cache

import (
	"errors"
	"fmt"
	"sync"
)

// Batcher groups items by key and hands each group to a sink.
type Batcher[T any] struct {
	mu      sync.Mutex
	pending map[string][]T
	max     int
	sink    func(key string, batch []T) error
}

// NewBatcher returns a batcher that flushes a key once it holds max items.
func NewBatcher[T any](max int, sink func(string, []T) error) *Batcher[T] {
	return &Batcher[T]{pending: make(map[string][]T), max: max, sink: sink}
}

// Add queues v under key and flushes the key when it is full.
func (b *Batcher[T]) Add(key string, v T) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending[key] = append(b.pending[key], v)
	if len(b.pending[key]) < b.max {
		return nil
	}
	return b.flushLocked(key)
}

// flushLocked sends the batch of key; b.mu must be held.
func (b *Batcher[T]) flushLocked(key string) error {
	batch := b.pending[key]
	delete(b.pending, key)
	if len(batch) == 0 {
		return nil
	}
	if err := b.sink(key, batch); err != nil {
		return fmt.Errorf("flush %s: %w", key, err)
	}
	return nil
}

// FlushKeys flushes the given keys.
func (b *Batcher[T]) FlushKeys(keys []string) error {
	var errs []error
	for _, k := range keys {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		if err := b.flushLocked(k); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FlushAll flushes every key, taking the lock once per key so that Add is
// not starved while a slow sink runs.
func (b *Batcher[T]) FlushAll() error {
	b.mu.Lock()
	keys := make([]string, 0, len(b.pending))
	for k := range b.pending {
		keys = append(keys, k)
	}
	b.mu.Unlock()

	var errs []error
	for _, k := range keys {
		func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if err := b.flushLocked(k); err != nil {
				errs = append(errs, err)
			}
		}()
	}
	return errors.Join(errs...)
}
