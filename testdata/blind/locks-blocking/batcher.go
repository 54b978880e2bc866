package blindc

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrBatcherClosed is returned after Close.
var ErrBatcherClosed = errors.New("batcher: closed")

// Item is one element of a batch.
type Item struct {
	Key     string
	Payload []byte
}

// Batcher accumulates items and hands full batches to a sink.
type Batcher struct {
	mu      sync.Mutex
	pending []Item
	maxSize int
	closed  bool
	sink    func(ctx context.Context, batch []Item) error
	flushes chan []Item // consumed by the background flusher
}

// NewBatcher returns a batcher that flushes every maxSize items.
func NewBatcher(maxSize int, sink func(context.Context, []Item) error) *Batcher {
	return &Batcher{maxSize: maxSize, sink: sink, flushes: make(chan []Item)}
}

// Flush sends whatever is pending to the sink.
func (b *Batcher) Flush(ctx context.Context) error {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	return b.sink(ctx, batch)
}

func (b *Batcher) drain(ctx context.Context) error {
	if err := b.Flush(ctx); err != nil {
		return fmt.Errorf("batcher: final flush: %w", err)
	}
	return nil
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// AddItem queues it and flushes when the batch is full.
func (b *Batcher) AddItem(ctx context.Context, it Item) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrBatcherClosed
	}
	b.pending = append(b.pending, it)
	if len(b.pending) >= b.maxSize {
		return b.Flush(ctx) // HAZ lock-reentry-under-defer
	}
	return nil
}

// CloseAndFlush flushes what is left and rejects further items.
func (b *Batcher) CloseAndFlush(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrBatcherClosed
	}
	b.closed = true
	return b.drain(ctx) // HAZ lock-reentry-under-defer
}

// Offer is AddItem done right: it decides under the lock and flushes after unlocking.
func (b *Batcher) Offer(ctx context.Context, it Item) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrBatcherClosed
	}
	b.pending = append(b.pending, it)
	full := len(b.pending) >= b.maxSize
	b.mu.Unlock()
	if full {
		return b.Flush(ctx) // ok: b.mu already released
	}
	return nil
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// Enqueue queues it and hands a full batch to the background flusher.
func (b *Batcher) Enqueue(ctx context.Context, it Item) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	b.pending = append(b.pending, it)
	if len(b.pending) < b.maxSize {
		b.mu.Unlock()
		return nil
	}
	batch := b.pending
	b.pending = nil
	select {
	case b.flushes <- batch:
	case <-ctx.Done():
		return ctx.Err()
	}
	b.mu.Unlock()
	return nil
}

// EnqueueOrDrop is Enqueue with the lock released before the hand-off.
func (b *Batcher) EnqueueOrDrop(ctx context.Context, it Item) error {
	b.mu.Lock()
	b.pending = append(b.pending, it)
	if len(b.pending) < b.maxSize {
		b.mu.Unlock()
		return nil
	}
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	select {
	case b.flushes <- batch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ---------------------------------------------------------------------------
// waitgroup-done-path

// FlushShards flushes several batchers concurrently.
func FlushShards(ctx context.Context, shards []*Batcher) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			sh.mu.Lock()
			batch := sh.pending
			sh.pending = nil
			sh.mu.Unlock()
			if len(batch) == 0 {
				return
			}
			errs[i] = sh.sink(ctx, batch)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
