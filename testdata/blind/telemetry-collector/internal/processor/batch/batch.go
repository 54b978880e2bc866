// Package batch groups records into batches that are sent downstream when
// they reach SendBatchSize records or when Timeout has passed, whichever
// comes first.
package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
)

// ErrClosed is returned after Shutdown.
var ErrClosed = errors.New("batch: processor closed")

// ErrFull is returned when MaxQueued records are already waiting.
var ErrFull = errors.New("batch: buffer full")

// Config configures the processor.
type Config struct {
	SendBatchSize int
	Timeout       time.Duration
	MaxQueued     int
}

// Processor is the batching processor.
type Processor struct {
	cfg      Config
	next     component.Consumer
	reg      *obs.Registry
	statsOut io.Writer
	logger   *log.Logger

	mu     sync.Mutex
	buf    []pdata.Record
	closed bool

	kick chan struct{}
	quit chan struct{}
	wg   sync.WaitGroup
}

// New returns a batching processor in front of next.
func New(cfg Config, next component.Consumer, reg *obs.Registry, statsOut io.Writer, logger *log.Logger) *Processor {
	if cfg.SendBatchSize <= 0 {
		cfg.SendBatchSize = 512
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxQueued < cfg.SendBatchSize {
		cfg.MaxQueued = 8 * cfg.SendBatchSize
	}
	return &Processor{
		cfg:      cfg,
		next:     next,
		reg:      reg,
		statsOut: statsOut,
		logger:   logger,
		kick:     make(chan struct{}, 1),
		quit:     make(chan struct{}),
	}
}

// Start runs the timeout loop.
func (p *Processor) Start(context.Context, component.Host) error {
	p.wg.Add(1)
	go p.loop()
	return nil
}

// Consume appends the batch's records and wakes the loop when a full batch
// is ready. Every path releases the lock before returning.
func (p *Processor) Consume(_ context.Context, b pdata.Batch) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	if len(p.buf)+b.Len() > p.cfg.MaxQueued {
		p.mu.Unlock()
		p.reg.Counter("batch.refused").Add(int64(b.Len()))
		return ErrFull
	}
	p.buf = append(p.buf, b.Records...)
	ready := len(p.buf) >= p.cfg.SendBatchSize
	p.mu.Unlock()

	if ready {
		select {
		case p.kick <- struct{}{}:
		default: // a kick is already pending
		}
	}
	return nil
}

// Len returns the number of buffered records.
func (p *Processor) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.buf)
}

func (p *Processor) loop() {
	defer p.wg.Done()
	t := time.NewTimer(p.cfg.Timeout)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-p.kick:
		case <-t.C:
		}
		p.flushAll(context.Background())
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(p.cfg.Timeout)
	}
}

// take removes up to one batch worth of records from the buffer.
func (p *Processor) take() []pdata.Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := min(len(p.buf), p.cfg.SendBatchSize)
	if n == 0 {
		return nil
	}
	out := make([]pdata.Record, n)
	copy(out, p.buf)
	p.buf = append(p.buf[:0], p.buf[n:]...)
	return out
}

func (p *Processor) flushAll(ctx context.Context) {
	for {
		recs := p.take()
		if recs == nil {
			return
		}
		if err := p.flush(ctx, recs); err != nil {
			p.logger.Printf("batch: export of %d records failed: %v", len(recs), err)
		}
	}
}

// flush sends one batch downstream.
func (p *Processor) flush(ctx context.Context, recs []pdata.Record) error {
	defer obs.Track("batch.flush") // HAZ defer-func-result-not-called
	p.reg.Counter("batch.sent_records").Add(int64(len(recs)))
	return p.next.Consume(ctx, pdata.Batch{Records: recs})
}

// Shutdown stops the loop, flushes what is left and prints the processor's
// counters.
func (p *Processor) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()

	defer p.reg.Snapshot().WriteTo(p.statsOut) // HAZ defer-call-chain
	close(p.quit)
	p.wg.Wait()
	p.flushAll(ctx)
	return ctx.Err()
}

// FlushNow sends everything buffered immediately; used by tests and by the
// debug page.
func (p *Processor) FlushNow(ctx context.Context) error {
	defer obs.Track("batch.flush_now")()
	for {
		recs := p.take()
		if recs == nil {
			return nil
		}
		if err := p.next.Consume(ctx, pdata.Batch{Records: recs}); err != nil {
			return err
		}
	}
}

// Resize changes the batch size on reload.
func (p *Processor) Resize(size int) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if size <= 0 || size > p.cfg.MaxQueued {
		return fmt.Errorf("batch: size %d out of (0,%d]", size, p.cfg.MaxQueued)
	}
	p.cfg.SendBatchSize = size
	ready := len(p.buf) >= size
	p.mu.Unlock()
	if ready {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// FlushConcurrently sends up to n batches in parallel, for draining a large
// backlog after an outage; a panicking exporter is logged, not fatal.
func (p *Processor) FlushConcurrently(ctx context.Context, n int) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("batch: concurrent flush panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		recs := p.take()
		if recs == nil {
			break
		}
		wg.Add(1)
		go func(recs []pdata.Record) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := p.next.Consume(ctx, pdata.Batch{Records: recs}); err != nil {
				p.logger.Printf("batch: export of %d records failed: %v", len(recs), err)
			}
		}(recs)
	}
	wg.Wait()
}
