// Package compact merges adjacent blocks into larger ones in the background.
package compact

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"

	"example.com/tsdb/block"
	"example.com/tsdb/internal/fileutil"
	"example.com/tsdb/model"
)

// ErrBusy is returned when one of the source blocks is already being compacted.
var ErrBusy = errors.New("compact: source block already being compacted")

// Compactor plans and runs compactions in a data directory.
type Compactor struct {
	dir    string
	ranges []int64 // block time ranges per level, ascending
	logger *log.Logger

	running     sync.Map // source dir -> struct{}
	compactions atomic.Int64
	failures    atomic.Int64
}

// New returns a compactor for dir.
func New(dir string, ranges []int64, logger *log.Logger) *Compactor {
	if len(ranges) == 0 {
		ranges = []int64{2 * 3600e3, 6 * 3600e3, 24 * 3600e3}
	}
	return &Compactor{dir: dir, ranges: ranges, logger: logger}
}

// Plan groups consecutive blocks that fit in the same aligned range of the
// next level. Each returned group has at least two block directories.
func (c *Compactor) Plan(metas []block.Meta) [][]string {
	sort.Slice(metas, func(i, j int) bool { return metas[i].MinTime < metas[j].MinTime })
	var groups [][]string
	for _, rng := range c.ranges[1:] {
		var cur []string
		curStart := int64(math.MinInt64)
		for _, m := range metas {
			start := m.MinTime - m.MinTime%rng
			if m.MaxTime > start+rng {
				continue // block spans the boundary: already at this level
			}
			if start != curStart {
				if len(cur) > 1 {
					groups = append(groups, cur)
				}
				cur, curStart = nil, start
			}
			cur = append(cur, filepath.Join(c.dir, m.ULID))
		}
		if len(cur) > 1 {
			groups = append(groups, cur)
		}
		if len(groups) > 0 {
			return groups
		}
	}
	return nil
}

// claim marks srcs as being compacted, or reports false if any already is.
func (c *Compactor) claim(srcs []string) bool {
	for i, s := range srcs {
		if _, loaded := c.running.LoadOrStore(s, struct{}{}); loaded {
			for _, prev := range srcs[:i] {
				c.running.Delete(prev)
			}
			return false
		}
	}
	return true
}

func (c *Compactor) release(srcs []string) {
	for _, s := range srcs {
		c.running.Delete(s)
	}
}

// Compact merges the blocks in srcs into one new block and returns its directory.
func (c *Compactor) Compact(srcs []string) (string, error) {
	if !c.claim(srcs) {
		return "", ErrBusy
	}
	defer c.release(srcs)

	var (
		all   [][]model.Series
		meta  block.Meta
		level int
	)
	meta.MinTime, meta.MaxTime = math.MaxInt64, math.MinInt64
	for _, src := range srcs {
		series, m, err := loadAll(src)
		if err != nil {
			c.failures.Add(1)
			return "", fmt.Errorf("load %s: %w", src, err)
		}
		all = append(all, series)
		meta.MinTime = min(meta.MinTime, m.MinTime)
		meta.MaxTime = max(meta.MaxTime, m.MaxTime)
		meta.Compaction.Sources = append(meta.Compaction.Sources, m.ULID)
		level = max(level, m.Compaction.Level)
	}
	meta.Compaction.Level = level + 1
	dir, err := block.Write(c.dir, meta, mergeSeries(all))
	if err != nil {
		c.failures.Add(1)
		return "", err
	}
	c.compactions.Add(1)
	return dir, nil
}

// loadAll opens a block and decodes all of its series.
func loadAll(dir string) ([]model.Series, block.Meta, error) {
	b, err := block.Open(dir)
	if err != nil {
		return nil, block.Meta{}, err
	}
	defer b.Close()
	series, err := b.Select(math.MinInt64, math.MaxInt64)
	return series, b.Meta(), err
}

// mergeSeries merges the series of several blocks by label set. Samples of
// the same series are concatenated in time order, dropping duplicates.
func mergeSeries(sets [][]model.Series) []model.Series {
	byKey := map[string]*model.Series{}
	var keys []string
	for _, set := range sets {
		for _, s := range set {
			k := s.Labels.String()
			cur, ok := byKey[k]
			if !ok {
				cp := model.Series{Labels: s.Labels}
				byKey[k] = &cp
				keys = append(keys, k)
				cur = &cp
			}
			cur.Samples = append(cur.Samples, s.Samples...)
		}
	}
	sort.Strings(keys)
	out := make([]model.Series, 0, len(keys))
	for _, k := range keys {
		s := byKey[k]
		sort.Slice(s.Samples, func(i, j int) bool { return s.Samples[i].T < s.Samples[j].T })
		dedup := s.Samples[:0]
		for i, smp := range s.Samples {
			if i > 0 && smp.T == s.Samples[i-1].T {
				continue
			}
			dedup = append(dedup, smp)
		}
		s.Samples = dedup
		out = append(out, *s)
	}
	return out
}

// CompactGroups compacts independent groups concurrently and returns the
// directories of the blocks that were created.
func (c *Compactor) CompactGroups(groups [][]string) []string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []string
	)
	for _, g := range groups {
		wg.Add(1)
		go func() {
			dir, err := c.Compact(g)
			if err != nil {
				c.logger.Printf("compact %v: %v", g, err)
				return
			}
			mu.Lock()
			out = append(out, dir)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// CompactAll compacts groups with at most parallel compactions at a time and
// returns the first error. It stops starting new work when ctx is done.
func (c *Compactor) CompactAll(ctx context.Context, groups [][]string, parallel int) error {
	sem := make(chan struct{}, max(parallel, 1))
	errc := make(chan error, len(groups))
	var wg sync.WaitGroup
	for _, g := range groups {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Compact(g)
			<-sem
			if err != nil {
				errc <- fmt.Errorf("compact %v: %w", g, err)
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// Watch compacts the block groups announced on reqs. It runs for the life of
// the process; the compaction lock keeps tsdbtool from repairing blocks that
// are being rewritten.
func (c *Compactor) Watch(reqs <-chan []string) {
	for srcs := range reqs {
		lock, err := fileutil.Acquire(filepath.Join(c.dir, "compact.lock"))
		if err != nil {
			c.logger.Printf("compaction lock: %v", err)
			continue
		}
		defer lock.Release() // HAZ defer-in-infinite-loop
		if _, err := c.Compact(srcs); err != nil {
			c.logger.Printf("compact %v: %v", srcs, err)
		}
	}
}

// Stats returns the number of finished and failed compactions.
func (c *Compactor) Stats() (done, failed int64) {
	return c.compactions.Load(), c.failures.Load()
}
