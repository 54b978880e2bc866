// Package offsets batches offset commits and stores them, in the broker
// and in local files for disaster recovery.
package offsets

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/consumer/broker"
)

// Sink stores committed offsets.
type Sink interface {
	CommitOffsets(group string, offsets map[broker.TopicPartition]int64) error
}

// Committer collects processed positions and flushes them to a sink in
// batches, on a timer and at shutdown.
type Committer struct {
	mu       sync.Mutex
	group    string
	sink     Sink
	pending  map[broker.TopicPartition]int64
	interval time.Duration
	flushes  atomic.Int64
	failures atomic.Int64
	log      *log.Logger
}

// NewCommitter returns a committer flushing every interval.
func NewCommitter(group string, sink Sink, interval time.Duration, logger *log.Logger) *Committer {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	return &Committer{
		group:    group,
		sink:     sink,
		pending:  make(map[broker.TopicPartition]int64),
		interval: interval,
		log:      logger,
	}
}

// Mark records that everything before next has been processed. Positions
// never move backwards.
func (c *Committer) Mark(tp broker.TopicPartition, next int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur, ok := c.pending[tp]; ok && cur >= next {
		return
	}
	c.pending[tp] = next
}

// Flush commits the pending positions. On failure they are merged back so
// that the next flush retries them.
func (c *Committer) Flush() error {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return nil
	}
	batch := c.pending
	c.pending = make(map[broker.TopicPartition]int64, len(batch))
	c.mu.Unlock()

	if err := c.sink.CommitOffsets(c.group, batch); err != nil {
		c.failures.Add(1)
		c.mu.Lock()
		for tp, off := range batch {
			if cur, ok := c.pending[tp]; !ok || off > cur {
				c.pending[tp] = off
			}
		}
		c.mu.Unlock()
		return fmt.Errorf("commit %d partitions for %s: %w", len(batch), c.group, err)
	}
	c.flushes.Add(1)
	return nil
}

// Run flushes every interval until ctx ends, then flushes a last time.
func (c *Committer) Run(ctx context.Context) error {
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return c.Flush()
		case <-t.C:
			if err := c.Flush(); err != nil {
				c.log.Printf("periodic commit: %v", err)
			}
		}
	}
}

// Stats returns the number of successful and failed flushes.
func (c *Committer) Stats() (flushes, failures int64) {
	return c.flushes.Load(), c.failures.Load()
}

// Checkpoint is a point-in-time copy of the pending positions.
type Checkpoint struct {
	Group   string
	Offsets map[broker.TopicPartition]int64
	Taken   time.Time
}

// Checkpoint copies the pending positions.
func (c *Committer) Checkpoint() *Checkpoint {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp := &Checkpoint{Group: c.group, Offsets: make(map[broker.TopicPartition]int64, len(c.pending)), Taken: time.Now()}
	for tp, off := range c.pending {
		cp.Offsets[tp] = off
	}
	return cp
}

// Persist saves the checkpoint in a file store.
func (cp *Checkpoint) Persist(s *FileStore) error {
	return s.Save(cp.Group, cp.Offsets)
}

// MultiSink commits to several sinks in parallel, e.g. the broker and a
// local journal kept for disaster recovery.
type MultiSink []Sink

// CommitOffsets commits to every sink and joins their errors.
func (ms MultiSink) CommitOffsets(group string, offs map[broker.TopicPartition]int64) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ms))
	for i, s := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.CommitOffsets(group, offs); err != nil {
				errs[i] = fmt.Errorf("sink %d: %w", i, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WaitFlushed polls until tp has no pending offset, i.e. everything marked
// for it has been flushed.
func (c *Committer) WaitFlushed(tp broker.TopicPartition, attempts int, every time.Duration) bool {
	for i := 0; i < attempts; i++ {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if _, pending := c.pending[tp]; !pending {
			return true
		}
		time.Sleep(every)
	}
	return false
}
