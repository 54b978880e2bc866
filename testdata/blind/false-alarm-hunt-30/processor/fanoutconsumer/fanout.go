// Package fanoutconsumer sends the data of one pipeline to several consumers:
// all of them (joining errors), the first that succeeds, or one shard each.
package fanoutconsumer

import (
	"context"
	"errors"
	"log"
	"sync"

	"example.com/fah30/consumer"
	"example.com/fah30/pdata"
)

// Fanout is a consumer.Traces that forwards to several consumers.
type Fanout struct {
	consumers []consumer.Traces
	logger    *log.Logger
}

// New returns a Fanout over consumers.
func New(logger *log.Logger, consumers ...consumer.Traces) *Fanout {
	return &Fanout{consumers: consumers, logger: logger}
}

// ConsumeTraces sends a copy of b to every consumer concurrently and returns
// the joined errors once all have returned.
func (f *Fanout) ConsumeTraces(ctx context.Context, b pdata.Batch) error {
	if len(f.consumers) == 1 {
		return f.consumers[0].ConsumeTraces(ctx, b)
	}
	errs := make([]error, len(f.consumers))
	var wg sync.WaitGroup
	for i, c := range f.consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.ConsumeTraces(ctx, b.Clone())
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ConsumeFailFast sends b to every consumer and returns the first error
// without waiting for the slower consumers.
func (f *Fanout) ConsumeFailFast(ctx context.Context, b pdata.Batch) error {
	results := make(chan error, len(f.consumers))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, c := range f.consumers {
		go func() {
			results <- c.ConsumeTraces(ctx, b.Clone())
		}()
	}
	for range f.consumers {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

// ConsumeAny succeeds as soon as one consumer accepted b. The result channel
// is buffered for every sender, so the goroutines still running when it
// returns finish their send and exit.
func (f *Fanout) ConsumeAny(ctx context.Context, b pdata.Batch) error {
	results := make(chan error, len(f.consumers))
	for _, c := range f.consumers {
		go func() {
			results <- c.ConsumeTraces(ctx, b.Clone())
		}()
	}
	var errs error
	for range f.consumers {
		select {
		case err := <-results:
			if err == nil {
				return nil
			}
			errs = errors.Join(errs, err)
		case <-ctx.Done():
			return errors.Join(errs, ctx.Err())
		}
	}
	return errs
}

// ConsumeSharded routes every span to the consumer that owns its trace, one
// goroutine per non-empty shard.
func (f *Fanout) ConsumeSharded(ctx context.Context, b pdata.Batch) error {
	shards := make([]pdata.Batch, len(f.consumers))
	for _, s := range b.Spans {
		i := pdata.ShardOf(s.TraceID, len(f.consumers))
		shards[i].Resource = b.Resource
		shards[i].Spans = append(shards[i].Spans, s)
	}
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	var shard int
	for shard = 0; shard < len(shards); shard++ {
		if shards[shard].Len() == 0 {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[shard] = f.consumers[shard].ConsumeTraces(ctx, shards[shard])
		}()
	}
	wg.Wait()
	f.logger.Printf("fanout: routed %d spans over %d shards", b.Len(), shard)
	return errors.Join(errs...)
}

// Delivered sends b to every consumer and counts the consumers that accepted
// it. The acks channel is closed only after every sender is done.
func (f *Fanout) Delivered(ctx context.Context, b pdata.Batch) int {
	acks := make(chan struct{}, len(f.consumers))
	defer close(acks)
	var wg sync.WaitGroup
	for _, c := range f.consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.ConsumeTraces(ctx, b.Clone()); err == nil {
				acks <- struct{}{}
			}
		}()
	}
	wg.Wait()
	return len(acks)
}

// Stream forwards every batch from in to all consumers and reports errors on
// the returned channel, which is closed once in is drained and every
// in-flight send has finished.
func (f *Fanout) Stream(ctx context.Context, in <-chan pdata.Batch) <-chan error {
	errc := make(chan error)
	go func() {
		var wg sync.WaitGroup
		defer close(errc)
		for b := range in {
			for _, c := range f.consumers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := c.ConsumeTraces(ctx, b.Clone()); err != nil {
						select {
						case errc <- err:
						case <-ctx.Done():
						}
					}
				}()
			}
		}
		wg.Wait()
	}()
	return errc
}

// StartAll starts every consumer that has a lifecycle and returns once all
// have started, joining their errors.
func (f *Fanout) StartAll(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(f.consumers))
	for i, c := range f.consumers {
		s, ok := c.(interface{ Start(context.Context) error })
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Start(ctx); err != nil {
				errs[i] = err
				return
			}
			f.logger.Printf("fanout: consumer %d started", i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ShutdownAll shuts every consumer down in parallel.
func (f *Fanout) ShutdownAll(ctx context.Context) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(f.consumers))
	for _, c := range f.consumers {
		s, ok := c.(interface{ Shutdown(context.Context) error })
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			if err := s.Shutdown(ctx); err != nil {
				errc <- err
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	var errs error
	for err := range errc {
		errs = errors.Join(errs, err)
	}
	return errs
}
