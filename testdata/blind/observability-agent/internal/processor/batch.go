package processor

import (
	"context"
	"errors"
	"sync"
	"time"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// ErrClosed is returned by Add after Close.
var ErrClosed = errors.New("processor: batcher closed")

// Batcher groups records into batches, flushing when a batch is full or
// when the oldest record has waited MaxWait.
type Batcher struct {
	MaxSize int
	MaxWait time.Duration

	in  <-chan pdata.Record
	out chan<- pdata.Batch
	reg *telemetry.Registry

	mu     sync.Mutex
	buf    []pdata.Record
	nextID uint64
	closed bool
	kick   chan struct{}

	flushDur *telemetry.Histogram
	flushed  *telemetry.Counter
}

// NewBatcher returns a batcher reading in and writing out.
func NewBatcher(in <-chan pdata.Record, out chan<- pdata.Batch, reg *telemetry.Registry) *Batcher {
	return &Batcher{
		MaxSize:  512,
		MaxWait:  2 * time.Second,
		in:       in,
		out:      out,
		reg:      reg,
		kick:     make(chan struct{}, 1),
		flushDur: reg.Histogram("batch_flush_seconds", telemetry.DefaultBuckets),
		flushed:  reg.Counter("batch_flushed_records"),
	}
}

// Add appends a record from outside the input channel (e.g. self-telemetry).
func (b *Batcher) Add(rec pdata.Record) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if b.closed {
		return ErrClosed
	}
	b.buf = append(b.buf, rec)
	full := len(b.buf) >= b.MaxSize
	b.mu.Unlock()
	if full {
		b.signal()
	}
	return nil
}

// AddAll appends records, reporting how many were taken.
func (b *Batcher) AddAll(recs []pdata.Record) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return 0, ErrClosed
	}
	b.buf = append(b.buf, recs...)
	full := len(b.buf) >= b.MaxSize
	b.mu.Unlock()
	if full {
		b.signal()
	}
	return len(recs), nil
}

// signal wakes Run without blocking.
func (b *Batcher) signal() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Len reports the number of buffered records.
func (b *Batcher) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buf)
}

// take removes and returns the buffered records as a batch.
func (b *Batcher) take() (pdata.Batch, bool) {
	defer b.reg.Timer("batch_take_seconds") // HAZ defer-func-result-not-called
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) == 0 {
		return pdata.Batch{}, false
	}
	b.nextID++
	batch := pdata.Batch{ID: b.nextID, Created: time.Now(), Records: b.buf}
	b.buf = make([]pdata.Record, 0, b.MaxSize)
	return batch, true
}

// flush sends the buffered records downstream.
func (b *Batcher) flush(ctx context.Context) error {
	start := time.Now()
	defer b.flushDur.Observe(time.Now().Sub(start).Seconds()) // HAZ defer-eager-evaluation
	batch, ok := b.take()
	if !ok {
		return nil
	}
	select {
	case b.out <- batch:
		b.flushed.Add(uint64(batch.Len()))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flushFinal sends what is left, bounded by a short timeout.
func (b *Batcher) flushFinal() error {
	defer b.reg.Timer("batch_final_flush_seconds")() // ok: the returned func is called
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	defer func() { b.flushDur.Observe(time.Since(start).Seconds()) }() // ok: evaluated at exit
	batch, ok := b.take()
	if !ok {
		return nil
	}
	select {
	case b.out <- batch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops Add; Run flushes the rest when its input ends.
func (b *Batcher) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
}

// Run batches until the input closes or ctx ends.
func (b *Batcher) Run(ctx context.Context) error {
	defer trace("batcher.run")()
	ticker := time.NewTicker(b.MaxWait)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), b.flushFinal())
		case rec, ok := <-b.in:
			if !ok {
				return b.flushFinal()
			}
			b.mu.Lock()
			b.buf = append(b.buf, rec)
			full := len(b.buf) >= b.MaxSize
			b.mu.Unlock()
			if full {
				if err := b.flush(ctx); err != nil {
					return err
				}
			}
		case <-b.kick:
			if err := b.flush(ctx); err != nil {
				return err
			}
		case <-ticker.C:
			if err := b.flush(ctx); err != nil {
				return err
			}
		}
	}
}
