// Package batch groups items into batches flushed by size or age, and
// debounces bursts of events per key.
package batch

import (
	"log"
	"sync"
	"time"
)

// Stats is a snapshot of a batcher's counters.
type Stats struct {
	Batches int
	Items   int
	Pending int
	Busy    time.Duration
}

func (s Stats) log(l *log.Logger, what string) {
	l.Printf("batch: %s: %d batches, %d items, %d pending, busy %s", what, s.Batches, s.Items, s.Pending, s.Busy)
}

// Batcher collects items and hands them to flush in batches of up to size,
// or when the oldest item has waited maxWait. flush may call Add to re-queue
// items that failed.
type Batcher[T any] struct {
	mu      sync.Mutex
	buf     []T
	timer   *time.Timer
	closed  bool
	size    int
	maxWait time.Duration
	flush   func([]T)
	stats   Stats
	logger  *log.Logger

	inflight sync.WaitGroup
}

// New returns a Batcher.
func New[T any](size int, maxWait time.Duration, flush func([]T), logger *log.Logger) *Batcher[T] {
	if logger == nil {
		logger = log.Default()
	}
	return &Batcher[T]{size: size, maxWait: maxWait, flush: flush, logger: logger}
}

// Add queues v. It returns false after Close.
func (b *Batcher[T]) Add(v T) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.buf = append(b.buf, v)
	if len(b.buf) >= b.size {
		b.flushLocked()
		return true
	}
	if b.timer == nil {
		b.timer = time.AfterFunc(b.maxWait, b.onTimer)
	}
	return true
}

func (b *Batcher[T]) onTimer() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer = nil
	b.flushLocked()
}

// flushLocked hands the buffer to a flush goroutine; caller holds mu.
func (b *Batcher[T]) flushLocked() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) == 0 {
		return
	}
	items := b.buf
	b.buf = nil
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		b.deliver(items)
	}()
}

func (b *Batcher[T]) deliver(items []T) {
	start := time.Now()
	defer b.observe(len(items), start, time.Now()) // HAZ defer-eager-evaluation
	b.flush(items)
}

func (b *Batcher[T]) deliverTimed(items []T) {
	start := time.Now()
	defer func() { b.observe(len(items), start, time.Now()) }() // ok: end time taken when the closure runs
	b.flush(items)
}

func (b *Batcher[T]) observe(n int, start, end time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats.Batches++
	b.stats.Items += n
	b.stats.Busy += end.Sub(start)
}

// Stats returns a snapshot of the counters.
func (b *Batcher[T]) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.stats
	s.Pending = len(b.buf)
	return s
}

// Flush hands any pending items to flush now and waits until it returns.
func (b *Batcher[T]) Flush() {
	b.mu.Lock()
	items := b.buf
	b.buf = nil
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	b.mu.Unlock()
	if len(items) > 0 {
		b.deliverTimed(items)
	}
}

func (b *Batcher[T]) waitInflight() {
	b.inflight.Wait()
}

// Close flushes pending items and waits for in-flight flushes.
func (b *Batcher[T]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer b.waitInflight() // HAZ defer-blocking-call
	if b.closed {
		return
	}
	b.closed = true
	b.flushLocked()
}

// Shutdown is Close that releases the lock before waiting and logs the
// final counters.
func (b *Batcher[T]) Shutdown() {
	defer func() { b.Stats().log(b.logger, "shutdown") }() // ok: stats taken when the closure runs
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		b.flushLocked()
	}
	b.mu.Unlock()
	b.waitInflight()
}

// Stop is Shutdown that logs the counters as they were at the time of the call.
func (b *Batcher[T]) Stop() {
	defer b.Stats().log(b.logger, "stopped") // HAZ defer-call-chain
	b.mu.Lock()
	b.closed = true
	b.flushLocked()
	b.mu.Unlock()
	b.waitInflight()
}
