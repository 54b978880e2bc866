// Package compactor periodically compacts the store and archives, verifies
// and prunes WAL segments under the data directory's compaction lock.
package compactor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/fah13/internal/crash"
	"example.com/fah13/internal/kv"
	"example.com/fah13/internal/lock"
	"example.com/fah13/internal/trace"
	"example.com/fah13/internal/wal"
)

// Compactor owns compaction for one data directory.
type Compactor struct {
	store    *kv.Store
	dir      string
	lockPath string
	keep     int
	tracer   *trace.Recorder // optional
	logger   *log.Logger
}

// New returns a compactor for store whose WAL lives in dir.
func New(store *kv.Store, dir string, keep int, tracer *trace.Recorder, logger *log.Logger) *Compactor {
	return &Compactor{
		store:    store,
		dir:      dir,
		lockPath: filepath.Join(dir, "COMPACT.lock"),
		keep:     keep,
		tracer:   tracer,
		logger:   logger,
	}
}

// Compact compacts the store to its current revision, archives old
// segments, and logs the store statistics once it is done.
func (c *Compactor) Compact(ctx context.Context) error {
	defer c.store.Stats().Log(c.logger) // HAZ defer-call-chain
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := c.store.Compact(c.store.Rev()); err != nil && !errors.Is(err, kv.ErrCompacted) {
		return err
	}
	return c.compactOnce(ctx)
}

// compactOnce archives everything but the newest c.keep segments.
func (c *Compactor) compactOnce(ctx context.Context) error {
	var done func()
	if c.tracer != nil {
		done = c.tracer.Track("compactor.archive")
	}
	defer done() // HAZ defer-nil-func
	if err := ctx.Err(); err != nil {
		return err
	}
	return wal.Archive(c.dir, filepath.Join(c.dir, "archive"), c.keep)
}

// timed runs fn, recording its latency under name when tracing is enabled.
func (c *Compactor) timed(name string, fn func() error) error {
	stop := func() {}
	if c.tracer != nil {
		stop = c.tracer.Track(name)
	}
	defer stop()
	return fn()
}

// Run performs one compaction under the compaction lock. A panic inside the
// round is turned into an error, and a failure to release the lock is
// reported alongside the round's own error.
func (c *Compactor) Run(ctx context.Context) (err error) {
	lk, err := lock.Acquire(c.lockPath)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lk.Release())
	}()
	defer crash.RecoverError(&err)

	return c.timed("compactor.run", func() error { return c.Compact(ctx) })
}

// Verify decodes every live segment under the compaction lock.
func (c *Compactor) Verify(ctx context.Context) error {
	lk, err := lock.Acquire(c.lockPath)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.Release(); rerr != nil {
			err = fmt.Errorf("release %s: %w", lk.Path(), rerr)
		}
	}()
	counts, err := wal.VerifyDir(c.dir)
	if err != nil {
		return err
	}
	c.logger.Printf("compactor: verified %d segments", len(counts))
	return ctx.Err()
}

// Prune deletes archived segments beyond the newest keep.
func (c *Compactor) Prune(ctx context.Context, keep int) error {
	span := c.tracer.Start("compactor.prune")
	span.SetAttr("keep", strconv.Itoa(keep))
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation

	archiveDir := filepath.Join(c.dir, "archive")
	entries, err := os.ReadDir(archiveDir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".wal.gz") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for len(names) > keep {
		if err = ctx.Err(); err != nil {
			return err
		}
		if err = os.Remove(filepath.Join(archiveDir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// Snapshot writes the store's current contents to path as a compressed
// segment. The span sees the function's final error through the closure.
func (c *Compactor) Snapshot(ctx context.Context, path string) (err error) {
	span := c.tracer.Start("compactor.snapshot")
	defer func() { span.Finish(err) }()

	var recs []wal.Record
	c.store.Range("", func(k string, v []byte, rev int64) bool {
		recs = append(recs, wal.Record{Rev: rev, Key: k, Value: v})
		return ctx.Err() == nil
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	span.SetAttr("records", strconv.Itoa(len(recs)))
	return wal.ExportSnapshot(path, recs)
}

// Loop runs a compaction every interval until ctx is done. Each round gets
// its own deadline, released at the end of the round.
func (c *Compactor) Loop(ctx context.Context, interval time.Duration) {
	timer := time.NewTimer(interval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		func() {
			rctx, cancel := context.WithTimeout(ctx, interval)
			defer cancel()
			if err := c.Run(rctx); err != nil {
				c.logger.Printf("compactor: round failed: %v", err)
			}
		}()
		timer.Reset(interval)
	}
}
