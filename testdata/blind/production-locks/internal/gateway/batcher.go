package gateway

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

type Sink interface {
	Write(ctx context.Context, batch []Event) error
}

// Batcher groups analytics events and flushes them on a timer.
type Batcher struct {
	mu      sync.Mutex
	pending []Event
	closed  bool
	max     int
	every   time.Duration
	sink    Sink
	log     *slog.Logger
}

func (b *Batcher) Add(ev Event) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.pending) >= b.max {
		return false
	}
	b.pending = append(b.pending, ev)
	return true
}

// Close stops the flush loop after its current round.
func (b *Batcher) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
}

func (b *Batcher) swapLocked() []Event {
	batch := b.pending
	b.pending = make([]Event, 0, b.max)
	return batch
}

func (b *Batcher) send(ctx context.Context, batch []Event) {
	if len(batch) == 0 {
		return
	}
	if err := b.sink.Write(ctx, batch); err != nil {
		b.log.Warn("analytics flush failed", "events", len(batch), "err", err)
	}
}

// flushLoop runs until ctx is cancelled or the batcher is closed.
func (b *Batcher) flushLoop(ctx context.Context) {
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.mu.Lock() // HAZ lock-leaked-on-return
			if b.closed {
				b.log.Info("batcher closed, flush loop exiting", "dropped", len(b.pending))
				return
			}
			batch := b.swapLocked()
			b.mu.Unlock()
			b.send(ctx, batch)
		}
	}
}

// Start runs the flush loop in the background.
func (b *Batcher) Start(ctx context.Context) { go b.flushLoop(ctx) }
