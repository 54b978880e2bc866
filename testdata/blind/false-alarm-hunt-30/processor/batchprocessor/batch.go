// Package batchprocessor accumulates spans and sends them downstream in
// batches: when a batch reaches SendBatchSize, when Timeout elapses, and once
// more on Shutdown.
package batchprocessor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

// ErrStopped is returned for data that arrives after Shutdown.
var ErrStopped = errors.New("batch processor is shut down")

// Config configures the processor.
type Config struct {
	Timeout          time.Duration
	SendBatchSize    int
	SendBatchMaxSize int
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.Timeout <= 0:
		return fmt.Errorf("timeout must be positive, got %s", c.Timeout)
	case c.SendBatchSize <= 0:
		return fmt.Errorf("send_batch_size must be positive, got %d", c.SendBatchSize)
	case c.SendBatchMaxSize != 0 && c.SendBatchMaxSize < c.SendBatchSize:
		return fmt.Errorf("send_batch_max_size (%d) must be >= send_batch_size (%d)", c.SendBatchMaxSize, c.SendBatchSize)
	}
	return nil
}

// Processor is the batch processor.
type Processor struct {
	cfg    Config
	next   consumer.Traces
	obs    *obsreport.Recorder
	logger *log.Logger

	mu      sync.Mutex
	pending pdata.Batch
	stopped bool

	kick   chan struct{}
	runner component.Runner
}

// New validates cfg and returns a processor that sends to next.
func New(cfg Config, next consumer.Traces, obs *obsreport.Recorder, logger *log.Logger) (*Processor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if next == nil {
		return nil, errors.New("batch processor needs a next consumer")
	}
	return &Processor{cfg: cfg, next: next, obs: obs, logger: logger, kick: make(chan struct{}, 1)}, nil
}

// Start launches the flush loop.
func (p *Processor) Start(ctx context.Context, _ component.Host) error {
	runCtx, err := p.runner.Start(ctx)
	if err != nil {
		return err
	}
	p.runner.Go(runCtx, p.loop)
	return nil
}

// loop flushes on the timer and whenever ConsumeTraces signals a full batch.
func (p *Processor) loop(ctx context.Context) {
	timer := time.NewTimer(p.cfg.Timeout)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-p.kick:
			timer.Stop()
		}
		if err := p.flush(ctx, false); err != nil {
			p.logger.Printf("batch: flush failed: %v", err)
		}
		timer.Reset(p.cfg.Timeout)
	}
}

// ConsumeTraces adds b to the pending batch and wakes the loop when the batch
// is full. It never blocks on the downstream consumer.
func (p *Processor) ConsumeTraces(_ context.Context, b pdata.Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return ErrStopped
	}
	p.pending.Append(b)
	p.obs.Accepted(b.Len())
	if p.pendingLocked() >= p.cfg.SendBatchSize {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// ConsumeSpans is the convenience entry point used by receivers that decode
// spans one by one.
func (p *Processor) ConsumeSpans(_ context.Context, resource map[string]string, spans []pdata.Span) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return ErrStopped
	}
	p.pending.Append(pdata.Batch{Resource: resource, Spans: spans})
	p.obs.Accepted(len(spans))
	if p.PendingItems() >= p.cfg.SendBatchSize { // HAZ lock-reentry-under-defer
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// PendingItems reports how many spans wait for the next flush.
func (p *Processor) PendingItems() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pendingLocked()
}

// pendingLocked must be called with p.mu held.
func (p *Processor) pendingLocked() int {
	return p.pending.Len()
}

// take removes the pending batch if it should be sent now: always when force
// is set, otherwise only when it reached SendBatchSize or the timer fired.
func (p *Processor) take(force bool) (pdata.Batch, bool) {
	p.mu.Lock()
	switch {
	case p.pending.Len() == 0:
		p.mu.Unlock()
		return pdata.Batch{}, false
	case p.stopped && !force:
		p.mu.Unlock()
		return pdata.Batch{}, false
	}
	b := p.pending
	p.pending = pdata.Batch{}
	p.mu.Unlock()
	return b, true
}

// flush sends whatever is pending, outside the lock.
func (p *Processor) flush(ctx context.Context, force bool) error {
	b, ok := p.take(force)
	if !ok {
		return nil
	}
	start := time.Now()
	defer func() { p.obs.ObserveOp(start, time.Now()) }()
	return p.export(ctx, b)
}

// export sends b downstream in pieces of at most SendBatchMaxSize spans;
// many pieces are sent concurrently.
func (p *Processor) export(ctx context.Context, b pdata.Batch) error {
	defer p.obs.StartOp("batch.export")()
	parts := b.Split(p.cfg.SendBatchMaxSize)
	if len(parts) > 4 {
		err := p.exportConcurrently(ctx, parts)
		p.obs.EndExport(b.Len(), err)
		return err
	}
	var errs error
	for _, part := range parts {
		err := p.next.ConsumeTraces(ctx, part)
		p.obs.EndExport(part.Len(), err)
		errs = errors.Join(errs, err)
	}
	return errs
}

// exportConcurrently sends the parts of an oversized batch in parallel and
// stops at the first failure or when ctx ends.
func (p *Processor) exportConcurrently(ctx context.Context, parts []pdata.Batch) error {
	errc := make(chan error, len(parts))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, part := range parts {
		go func() {
			errc <- p.next.ConsumeTraces(ctx, part)
		}()
	}
	for range parts {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ForceFlush sends whatever is pending now, regardless of size, and records
// how long the flush took.
func (p *Processor) ForceFlush(ctx context.Context) error {
	start := time.Now()
	defer p.obs.ObserveOp(start, time.Now()) // HAZ defer-eager-evaluation
	b, ok := p.take(true)
	if !ok {
		return nil
	}
	return p.export(ctx, b)
}

// Shutdown stops the loop, then flushes what is left, bounded by ctx.
func (p *Processor) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()

	stopErr := p.runner.Stop(ctx)
	return errors.Join(stopErr, p.flush(ctx, true))
}
