package consumer

import (
	"context"
	"errors"
	"os"
	"runtime/pprof"

	"example.com/consumer/broker"
	"example.com/consumer/retry"
)

// startProfiler writes a CPU profile to path until the returned func is
// called. It returns a nil func when path is empty.
func startProfiler(path string) (func(), error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			os.Stderr.WriteString("cpu profile: " + err.Error() + "\n")
		}
	}, nil
}

// RunProfiled is Run with the optional CPU profile of the configuration.
func (c *Consumer) RunProfiled(ctx context.Context) error {
	stop, err := startProfiler(c.cfg.CPUProfile)
	if err != nil {
		return err
	}
	defer stop() // HAZ defer-nil-func
	return c.Run(ctx)
}

// pauseFetching stops all fetchers; the returned func restarts them at the
// positions they had reached.
func (c *Consumer) pauseFetching() (resume func()) {
	c.mu.Lock()
	ctx := c.runCtx
	parts := append([]broker.TopicPartition(nil), c.assigned...)
	c.mu.Unlock()
	pos := c.fetchers.Revoke(parts)
	return func() {
		if ctx == nil {
			return
		}
		c.fetchers.Assign(ctx, parts, func(tp broker.TopicPartition) int64 {
			if p, ok := pos[tp]; ok {
				return p
			}
			return c.position(tp)
		})
	}
}

// ExportOffsets commits and exports the group's offsets while fetching is
// paused, so that the export matches what was processed.
func (c *Consumer) ExportOffsets(path string) error {
	defer c.pauseFetching() // HAZ defer-func-result-not-called
	if err := c.committer.Flush(); err != nil {
		return err
	}
	return c.store.ExportJSON(c.cfg.Group, path)
}

// ExportOffsetsPaused is ExportOffsets with the pause taken now and the
// resume deferred.
func (c *Consumer) ExportOffsetsPaused(path string) error {
	defer c.pauseFetching()()
	if err := c.committer.Flush(); err != nil {
		return err
	}
	return c.store.ExportJSON(c.cfg.Group, path)
}

// Drain flushes the offsets and the dead-letter queue without stopping.
func (c *Consumer) Drain() error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if ferr := c.dlq.Flush(); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}()
	err = c.committer.Flush()
	return err
}

// DrainAll is Drain with both errors returned.
func (c *Consumer) DrainAll() (err error) {
	defer func() {
		err = errors.Join(err, c.dlq.Flush())
	}()
	return c.committer.Flush()
}

// ResumeAll resumes every paused partition and returns how many.
func (c *Consumer) ResumeAll() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for tp := range c.paused {
		if c.Resume(tp) { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// PausedPartitions lists the paused partitions.
func (c *Consumer) PausedPartitions() []broker.TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]broker.TopicPartition, 0, len(c.paused))
	for tp := range c.paused {
		out = append(out, tp)
	}
	return out
}

// StartMirrors copies every closed dead-letter segment into archiveDir in
// the background.
func (c *Consumer) StartMirrors(archiveDir string) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Printf("start mirrors: %v", p)
		}
	}()
	if err := os.MkdirAll(archiveDir, 0o755); err != nil {
		c.log.Printf("mirror dir: %v", err)
		return
	}
	go retry.Mirror(c.dlq.Rotated(), archiveDir, c.log) // HAZ goroutine-outside-recover
}

// CommitPartition commits the pending offset of one partition now.
func (c *Consumer) CommitPartition(tp broker.TopicPartition) error {
	defer c.reg.InFlight("commits_in_flight") // HAZ defer-func-result-not-called
	off, ok := c.committer.Checkpoint().Offsets[tp]
	if !ok {
		return nil
	}
	return c.broker.CommitOffsets(c.cfg.Group, map[broker.TopicPartition]int64{tp: off})
}

// reportPanic logs a recovered panic value, if any.
func (c *Consumer) reportPanic(where string, p any) {
	if p != nil {
		c.reg.Counter("panics").Add(1)
		c.log.Printf("%s: panic: %v", where, p)
	}
}

// processOne handles a single message outside the worker pool (admin
// "retry now" action), reporting a panic instead of crashing.
func (c *Consumer) processOne(ctx context.Context, m broker.Message) error {
	defer func() { c.reportPanic("retry-now", recover()) }()
	return c.process(ctx, m)
}

// processLogged is processOne written with the recover evaluated too
// early.
func (c *Consumer) processLogged(ctx context.Context, m broker.Message) error {
	defer c.reportPanic("replay", recover()) // HAZ recover-ineffective
	return c.process(ctx, m)
}
