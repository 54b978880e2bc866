// Package partition runs one goroutine per assigned partition of a topic and
// rebalances the assignment across the members of a consumer group.
package partition

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/streamproc/internal/dlq"
	"example.com/streamproc/internal/metrics"
	"example.com/streamproc/internal/record"
)

// Source fetches records of one partition starting at an offset.
type Source interface {
	Fetch(ctx context.Context, partition int, offset int64, max int) ([]record.Record, error)
}

// Handler processes one record.
type Handler func(ctx context.Context, r record.Record) error

// Config tunes a consumer.
type Config struct {
	Group        string
	BatchSize    int
	PollInterval time.Duration
	MaxAttempts  int
	// PauseOnReprocess stops the live worker of a partition while it is
	// reprocessed from an older offset.
	PauseOnReprocess bool
}

type worker struct {
	partition int
	cancel    context.CancelFunc
	done      chan struct{}
}

// Consumer consumes the partitions assigned to this member.
type Consumer struct {
	cfg     Config
	src     Source
	handle  Handler
	dead    *dlq.Queue
	reg     *metrics.Registry
	mu      sync.Mutex
	workers map[int]*worker
	offsets map[int]int64
	paused  map[int]bool
}

// NewConsumer returns a consumer with no partitions assigned.
func NewConsumer(cfg Config, src Source, h Handler, dead *dlq.Queue, reg *metrics.Registry) *Consumer {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	return &Consumer{
		cfg: cfg, src: src, handle: h, dead: dead, reg: reg,
		workers: make(map[int]*worker),
		offsets: make(map[int]int64),
		paused:  make(map[int]bool),
	}
}

// Assign starts a worker for every partition not already running.
func (c *Consumer) Assign(ctx context.Context, parts []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range parts {
		if _, ok := c.workers[p]; ok {
			continue
		}
		wctx, cancel := context.WithCancel(ctx)
		w := &worker{partition: p, cancel: cancel, done: make(chan struct{})}
		c.workers[p] = w
		go c.runPartition(wctx, w)
	}
}

// Revoke stops the workers of parts and waits for them. The workers commit
// offsets (which takes c.mu), so the lock is released before waiting.
func (c *Consumer) Revoke(parts []int) {
	c.mu.Lock()
	var stopping []*worker
	for _, p := range parts {
		if w, ok := c.workers[p]; ok {
			stopping = append(stopping, w)
			delete(c.workers, p)
		}
	}
	c.mu.Unlock()
	for _, w := range stopping {
		w.cancel()
	}
	for _, w := range stopping {
		<-w.done
	}
}

// runPartition is the per-partition loop.
func (c *Consumer) runPartition(ctx context.Context, w *worker) {
	defer close(w.done)
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if c.isPaused(w.partition) {
			continue
		}
		off := c.Offset(w.partition)
		recs, err := c.src.Fetch(ctx, w.partition, off, c.cfg.BatchSize)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				log.Printf("partition %d: fetch at %d: %v", w.partition, off, err)
			}
			continue
		}
		if len(recs) == 0 {
			continue
		}
		if err := c.processBatch(ctx, w.partition, recs); err != nil {
			log.Printf("partition %d: %v", w.partition, err)
			continue
		}
		c.commit(w.partition, recs[len(recs)-1].Offset+1)
	}
}

// processBatch hands each record to the handler, sending failures to the DLQ.
// A panicking handler turns into an error for this batch.
func (c *Consumer) processBatch(ctx context.Context, p int, recs []record.Record) (err error) {
	defer c.recoverBatch(p, &err)
	for _, r := range recs {
		if herr := c.handleWithRetry(ctx, r); herr != nil {
			if derr := c.dead.Put(dlq.Entry{Record: r, Err: herr.Error(), Attempts: c.cfg.MaxAttempts, At: time.Now()}); derr != nil {
				return fmt.Errorf("dlq put %s: %w", r, derr)
			}
			c.reg.Inc("dlq_records", 1)
		}
	}
	c.reg.Inc("records_processed", int64(len(recs)))
	return nil
}

// recoverBatch converts a handler panic into the batch error. It is deferred
// directly, so recover stops the panic.
func (c *Consumer) recoverBatch(p int, errp *error) {
	if r := recover(); r != nil {
		c.reg.Inc("handler_panics", 1)
		*errp = fmt.Errorf("partition %d: handler panic: %v", p, r)
	}
}

func (c *Consumer) handleWithRetry(ctx context.Context, r record.Record) error {
	var err error
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if err = c.handle(ctx, r); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
		}
	}
	return err
}

// commit records the next offset to read for p.
func (c *Consumer) commit(p int, next int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if next > c.offsets[p] {
		c.offsets[p] = next
	}
}

// Offset returns the committed offset of p.
func (c *Consumer) Offset(p int) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offsets[p]
}

// Offsets returns a copy of all committed offsets, for checkpoints.
func (c *Consumer) Offsets() map[int]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[int]int64, len(c.offsets))
	for p, o := range c.offsets {
		out[p] = o
	}
	return out
}

// Seek resets offsets from a checkpoint.
func (c *Consumer) Seek(offsets map[int]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, o := range offsets {
		c.offsets[p] = o
	}
}

func (c *Consumer) isPaused(p int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused[p]
}

func (c *Consumer) setPaused(p int, v bool) {
	c.mu.Lock()
	c.paused[p] = v
	c.mu.Unlock()
}

// Reprocess reads partition p again from offset from up to the committed
// offset, pausing the live worker if configured to.
func (c *Consumer) Reprocess(ctx context.Context, p int, from int64) error {
	var resume func()
	if c.cfg.PauseOnReprocess {
		c.setPaused(p, true)
		resume = func() { c.setPaused(p, false) }
	}
	defer resume() // HAZ defer-nil-func
	until := c.Offset(p)
	for off := from; off < until; {
		recs, err := c.src.Fetch(ctx, p, off, c.cfg.BatchSize)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		if err := c.processBatch(ctx, p, recs); err != nil {
			return err
		}
		off = recs[len(recs)-1].Offset + 1
	}
	return nil
}

// Rewind is like Reprocess but always pauses; the resume func is set on every
// path before it is deferred.
func (c *Consumer) Rewind(ctx context.Context, p int, to int64) error {
	resume := func() {}
	if _, running := c.workerFor(p); running {
		c.setPaused(p, true)
		resume = func() { c.setPaused(p, false) }
	}
	defer resume()
	c.mu.Lock()
	c.offsets[p] = to
	c.mu.Unlock()
	return ctx.Err()
}

func (c *Consumer) workerFor(p int) (*worker, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.workers[p]
	return w, ok
}

// flushPartition pushes the committed offset of p to the sink.
func (c *Consumer) flushPartition(ctx context.Context, p int, sink func(int, int64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return sink(p, c.Offset(p))
}

// DrainAll flushes every assigned partition in parallel and waits.
func (c *Consumer) DrainAll(ctx context.Context, sink func(int, int64) error) {
	c.mu.Lock()
	parts := make([]int, 0, len(c.workers))
	for p := range c.workers {
		parts = append(parts, p)
	}
	c.mu.Unlock()

	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			if err := c.flushPartition(ctx, p, sink); err != nil {
				log.Printf("drain partition %d: %v", p, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// FlushAll is DrainAll with Done deferred and errors collected.
func (c *Consumer) FlushAll(ctx context.Context, sink func(int, int64) error) error {
	offs := c.Offsets()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for p := range offs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.flushPartition(ctx, p, sink); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DispatchByKey processes a batch with one goroutine per key so that keys are
// handled in parallel but each key in order.
func (c *Consumer) DispatchByKey(ctx context.Context, recs []record.Record) (err error) {
	defer c.recoverBatch(-1, &err) // HAZ goroutine-outside-recover
	byKey := make(map[string][]record.Record)
	for _, r := range recs {
		byKey[r.Key] = append(byKey[r.Key], r)
	}
	errc := make(chan error, len(byKey))
	for _, group := range byKey {
		go func() {
			for _, r := range group {
				if err := c.handle(ctx, r); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	var errs []error
	for range byKey {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

// DispatchByKeySafe is DispatchByKey where every goroutine recovers itself.
func (c *Consumer) DispatchByKeySafe(ctx context.Context, recs []record.Record) error {
	byKey := make(map[string][]record.Record)
	for _, r := range recs {
		byKey[r.Key] = append(byKey[r.Key], r)
	}
	errc := make(chan error, len(byKey))
	for key, group := range byKey {
		go func() {
			var err error
			defer func() { errc <- err }()
			defer c.recoverBatch(group[0].Partition, &err)
			for _, r := range group {
				if err = c.handle(ctx, r); err != nil {
					err = fmt.Errorf("key %q: %w", key, err)
					return
				}
			}
		}()
	}
	var errs []error
	for range byKey {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}
