// Package retention deletes blocks that fall outside the retention policy.
package retention

import (
	"context"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/tsdb/block"
	"example.com/tsdb/internal/fileutil"
)

// Policy bounds how much data is kept. Zero values disable a bound.
type Policy struct {
	MaxAge   time.Duration
	MaxBytes int64
}

type blockInfo struct {
	dir  string
	meta block.Meta
	size int64
}

// Cleaner applies a Policy to the blocks of a data directory.
type Cleaner struct {
	dir      string
	policy   Policy
	logger   *log.Logger
	onDelete func(ulid string)

	mu      sync.Mutex
	lastRun time.Time
	deleted int
}

// New returns a cleaner. onDelete, if non-nil, is told about each deleted block
// so that the DB can drop it from the query engine.
func New(dir string, p Policy, logger *log.Logger, onDelete func(ulid string)) *Cleaner {
	return &Cleaner{dir: dir, policy: p, logger: logger, onDelete: onDelete}
}

// scan lists the block directories with their metadata and size.
func (c *Cleaner) scan() ([]blockInfo, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, err
	}
	var infos []blockInfo
	for _, e := range entries {
		if !e.IsDir() || !block.IsULID(e.Name()) {
			continue
		}
		dir := filepath.Join(c.dir, e.Name())
		m, err := block.ReadMeta(dir)
		if err != nil {
			c.logger.Printf("retention: skipping %s: %v", dir, err)
			continue
		}
		size, err := fileutil.DirSize(dir)
		if err != nil {
			return nil, err
		}
		infos = append(infos, blockInfo{dir: dir, meta: *m, size: size})
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].meta.MaxTime < infos[j].meta.MaxTime })
	return infos, nil
}

// expired returns the blocks to delete: those entirely older than MaxAge,
// then the oldest ones until the total size fits MaxBytes.
func (c *Cleaner) expired(infos []blockInfo, now time.Time) []blockInfo {
	var out []blockInfo
	var total int64
	for _, bi := range infos {
		total += bi.size
	}
	cutoff := now.Add(-c.policy.MaxAge).UnixMilli()
	for _, bi := range infos {
		switch {
		case c.policy.MaxAge > 0 && bi.meta.MaxTime < cutoff:
		case c.policy.MaxBytes > 0 && total > c.policy.MaxBytes:
		default:
			continue
		}
		out = append(out, bi)
		total -= bi.size
	}
	return out
}

// Apply deletes the expired blocks and returns how many were removed.
func (c *Cleaner) Apply(now time.Time) (int, error) {
	lock, err := fileutil.Acquire(filepath.Join(c.dir, "retention.lock"))
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lock.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	infos, err := c.scan()
	if err != nil {
		return 0, err
	}
	victims := c.expired(infos, now)
	dirs := make([]string, len(victims))
	for i, bi := range victims {
		dirs[i] = bi.dir
		c.logger.Printf("retention: deleting block %s (maxTime %d, %d bytes)", bi.meta.ULID, bi.meta.MaxTime, bi.size)
		if c.onDelete != nil {
			c.onDelete(bi.meta.ULID)
		}
	}
	n := deleteBatches(dirs, 4, c.logger)

	c.mu.Lock()
	c.lastRun = now
	c.deleted += n
	c.mu.Unlock()
	return n, nil
}

// deleteBatches removes dirs, batch directories at a time in parallel, and
// returns the number removed.
func deleteBatches(dirs []string, batch int, logger *log.Logger) int {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		removed int
		start   int
	)
	for start = 0; start < len(dirs); start += batch {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			end := min(start+batch, len(dirs))
			for _, d := range dirs[start:end] {
				if err := os.RemoveAll(d); err != nil {
					logger.Printf("retention: remove %s: %v", d, err)
					continue
				}
				mu.Lock()
				removed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return removed
}

// LastRun returns the time of the last successful Apply and the total number
// of blocks deleted so far.
func (c *Cleaner) LastRun() (time.Time, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastRun, c.deleted
}

// Run applies the policy every interval until ctx is done.
func (c *Cleaner) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			n, err := c.Apply(now)
			if err != nil {
				c.logger.Printf("retention: %v", err)
				continue
			}
			if n > 0 {
				c.logger.Printf("retention: deleted %d blocks", n)
			}
		}
	}
}
