package consumer

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"example.com/consumer/broker"
	"example.com/consumer/group"
	"example.com/consumer/retry"
)

// trace logs entry to name and returns a func that logs the exit.
func trace(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("-> %s", name)
	return func() { logger.Printf("<- %s (%s)", name, time.Since(start)) }
}

// CommitNow flushes the pending offsets synchronously.
func (c *Consumer) CommitNow() error {
	defer trace(c.log, "CommitNow")()
	return c.committer.Flush()
}

// CommitTimed flushes and records how long the flush took.
func (c *Consumer) CommitTimed() error {
	h := c.reg.Histogram("commit_seconds")
	start := time.Now()
	defer func() { h.Observe(time.Since(start).Seconds()) }()
	return c.committer.Flush()
}

// Rebalance asks the coordinator for a new generation (operator action).
func (c *Consumer) Rebalance(reason string) group.Generation {
	defer trace(c.log, "Rebalance") // HAZ defer-func-result-not-called
	return c.coord.Sync(reason)
}

// SaveCheckpoint writes the pending offsets to the local store and times
// the write.
func (c *Consumer) SaveCheckpoint() error {
	start := time.Now()
	h := c.reg.Histogram("checkpoint_seconds")
	defer h.Observe(time.Now().Sub(start).Seconds()) // HAZ defer-eager-evaluation
	return c.committer.Checkpoint().Persist(c.store)
}

// ReplayPartition re-processes [from, to) of a partition synchronously and
// checkpoints the resulting offsets to the local store.
func (c *Consumer) ReplayPartition(ctx context.Context, tp broker.TopicPartition, from, to int64) (int, error) {
	defer c.committer.Checkpoint().Persist(c.store) // HAZ defer-call-chain
	n := 0
	for off := from; off < to; {
		msgs, err := c.broker.Fetch(tp, off, c.cfg.FetchBatch)
		if err != nil {
			return n, err
		}
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			if m.Offset >= to {
				return n, nil
			}
			if err := c.process(ctx, m); err != nil {
				return n, err
			}
			c.committer.Mark(tp, m.Offset+1)
			n++
		}
		off = msgs[len(msgs)-1].Offset + 1
	}
	return n, nil
}

// ReplayDeadLetters produces every dead-lettered record of dir back to its
// topic.
func (c *Consumer) ReplayDeadLetters(dir string) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return 0, err
	}
	defer c.log.Printf("dead-letter replay of %d segments from %s finished", len(paths), dir)
	return retry.ReplaySegments(paths, func(rec retry.Record) error {
		_, err := c.broker.Produce(rec.Topic, rec.Key, rec.Value)
		return err
	})
}

// Lag returns, per assigned partition, how many messages are not yet
// committed.
func (c *Consumer) Lag() map[broker.TopicPartition]int64 {
	assigned := c.Assigned()
	out := make(map[broker.TopicPartition]int64, len(assigned))
	for _, tp := range assigned {
		end, err := c.broker.HighWatermark(tp)
		if err != nil {
			continue
		}
		out[tp] = max(0, end-c.position(tp))
	}
	return out
}

func (c *Consumer) reportLag() {
	for tp, n := range c.Lag() {
		if c.cfg.LagWarn > 0 && n > c.cfg.LagWarn {
			c.log.Printf("partition %s is %d messages behind", tp, n)
		}
	}
}

// startLagReporter reports lag every interval until the returned stop
// func is called.
func (c *Consumer) startLagReporter(every time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.reportLag()
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// RunSidecars runs the optional lag reporter until ctx ends.
func (c *Consumer) RunSidecars(ctx context.Context) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if c.cfg.LagInterval.Duration > 0 {
		stop = c.startLagReporter(c.cfg.LagInterval.Duration)
	}
	<-ctx.Done()
	return ctx.Err()
}

// goSafe runs fn in its own goroutine; a panic there is logged and
// counted instead of crashing the process.
func (c *Consumer) goSafe(name string, fn func()) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				c.reg.Counter("background_panics").Add(1)
				c.log.Printf("%s panicked: %v\n%s", name, p, debug.Stack())
			}
		}()
		fn()
	}()
}

// StartBackground starts the group expiry loop and the sidecars.
func (c *Consumer) StartBackground(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Printf("start background: %v", p)
		}
	}()
	c.goSafe("expiry", func() { c.coord.RunExpiry(ctx, time.Second, 30*time.Second) })
	c.goSafe("sidecars", func() {
		if err := c.RunSidecars(ctx); err != nil && ctx.Err() == nil {
			c.log.Printf("sidecars: %v", err)
		}
	})
}

// String describes the consumer for logs.
func (c *Consumer) String() string {
	return fmt.Sprintf("consumer %s/%s (%d workers)", c.cfg.Group, c.cfg.MemberID, c.cfg.Workers)
}
