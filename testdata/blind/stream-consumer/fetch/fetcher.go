// Package fetch runs one fetch goroutine per assigned partition and feeds
// the fetched messages into a shared channel.
package fetch

import (
	"context"
	"errors"
	"log"
	"sync/atomic"
	"time"

	"example.com/consumer/broker"
)

// Source is where messages are fetched from (the broker in production, a
// fake in tests).
type Source interface {
	Fetch(tp broker.TopicPartition, offset int64, max int) ([]broker.Message, error)
}

// Fetcher reads one partition from its current position.
type Fetcher struct {
	src    Source
	tp     broker.TopicPartition
	offset atomic.Int64
	batch  int
	idle   time.Duration
	out    chan<- broker.Message
	log    *log.Logger
}

// New returns a fetcher for tp starting at offset start.
func New(src Source, tp broker.TopicPartition, start int64, batch int, out chan<- broker.Message, logger *log.Logger) *Fetcher {
	if batch <= 0 {
		batch = 100
	}
	f := &Fetcher{src: src, tp: tp, batch: batch, idle: 50 * time.Millisecond, out: out, log: logger}
	f.offset.Store(start)
	return f
}

// TP returns the fetcher's partition.
func (f *Fetcher) TP() broker.TopicPartition { return f.tp }

// Offset returns the next offset the fetcher will deliver.
func (f *Fetcher) Offset() int64 { return f.offset.Load() }

// Run fetches until ctx ends or the position falls out of the log.
func (f *Fetcher) Run(ctx context.Context) error {
	for {
		msgs, err := f.src.Fetch(f.tp, f.offset.Load(), f.batch)
		if err != nil {
			if errors.Is(err, broker.ErrOffsetOutOfRange) || errors.Is(err, broker.ErrClosed) {
				return err
			}
			f.log.Printf("fetch %s: %v", f.tp, err)
		}
		if len(msgs) == 0 {
			if err := sleepCtx(ctx, f.idle); err != nil {
				return err
			}
			continue
		}
		for _, m := range msgs {
			select {
			case f.out <- m:
				f.offset.Store(m.Offset + 1)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
