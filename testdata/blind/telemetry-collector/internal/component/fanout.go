package component

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"example.com/otelcol/internal/pdata"
)

// FanOut delivers every batch to several consumers, e.g. one pipeline
// feeding both an OTLP-like HTTP exporter and a file archive.
type FanOut struct {
	names     []string
	consumers []Consumer
	mutable   bool
	inflight  atomic.Int64
}

// NewFanOut builds a fan-out. When mutable is true every consumer gets its
// own deep copy of the batch.
func NewFanOut(mutable bool) *FanOut {
	return &FanOut{mutable: mutable}
}

// Add registers a consumer.
func (f *FanOut) Add(name string, c Consumer) {
	f.names = append(f.names, name)
	f.consumers = append(f.consumers, c)
}

// Inflight reports how many deliveries are running.
func (f *FanOut) Inflight() int64 { return f.inflight.Load() }

func (f *FanOut) batchFor(b pdata.Batch) pdata.Batch {
	if f.mutable {
		return b.Clone()
	}
	return b
}

// Consume delivers b to all consumers in parallel and joins their errors.
func (f *FanOut) Consume(ctx context.Context, b pdata.Batch) error {
	if len(f.consumers) == 1 {
		return f.consumers[0].Consume(ctx, b)
	}
	errc := make(chan error, len(f.consumers))
	var wg sync.WaitGroup
	for i, c := range f.consumers {
		c := c
		name := f.names[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := safeConsume(ctx, c, f.batchFor(b)); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ConsumeEach is the low-latency variant used by the debug tap: results go
// to a per-consumer slot instead of a channel.
func (f *FanOut) ConsumeEach(ctx context.Context, b pdata.Batch) []error {
	errs := make([]error, len(f.consumers))
	var wg sync.WaitGroup
	for i, c := range f.consumers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			defer f.inflight.Add(-1)
			errs[i] = c.Consume(ctx, f.batchFor(b))
		}()
		f.inflight.Add(1)
	}
	wg.Wait()
	return errs
}

// ConsumeAsync starts the deliveries and hands the caller a channel of
// their errors, so that a receiver can acknowledge before export finishes.
func (f *FanOut) ConsumeAsync(ctx context.Context, b pdata.Batch) <-chan error {
	errc := make(chan error, len(f.consumers))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for i, c := range f.consumers {
		go func(name string, c Consumer) {
			if err := c.Consume(ctx, f.batchFor(b)); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}(f.names[i], c)
	}
	return errc
}

// ConsumeFirstError returns as soon as one consumer fails. The channel has
// room for every sender, so the ones still running never block.
func (f *FanOut) ConsumeFirstError(ctx context.Context, b pdata.Batch) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(f.consumers))
	for _, c := range f.consumers {
		go func(c Consumer) {
			errc <- c.Consume(ctx, f.batchFor(b))
		}(c)
	}
	for range f.consumers {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// safeConsume keeps one misbehaving consumer from taking the process down.
func safeConsume(ctx context.Context, c Consumer, b pdata.Batch) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("consumer panicked: %v", r)
		}
	}()
	err = c.Consume(ctx, b)
	return err
}

// guardedConsume is safeConsume done right: the named result carries the
// recovered panic back to the caller.
func guardedConsume(ctx context.Context, c Consumer, b pdata.Batch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("consumer panicked: %v", r)
		}
	}()
	return c.Consume(ctx, b)
}

// Ordered delivers to consumers one after another, stopping at the first
// error; used when exporters must see data in a fixed order.
func (f *FanOut) Ordered(ctx context.Context, b pdata.Batch) error {
	for i, c := range f.consumers {
		if err := guardedConsume(ctx, c, f.batchFor(b)); err != nil {
			return fmt.Errorf("%s: %w", f.names[i], err)
		}
	}
	return nil
}
