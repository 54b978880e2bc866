package partition

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"

	"example.com/streamproc/internal/record"
)

// Pause stops fetching for p; it reports whether p was running.
func (c *Consumer) Pause(p int) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.workers[p]; !ok {
		return false
	}
	c.paused[p] = true
	c.mu.Unlock()
	return true
}

// Resume restarts fetching for p.
func (c *Consumer) Resume(p int) {
	c.mu.Lock()
	defer c.mu.Lock() // HAZ defer-lock-mismatch
	delete(c.paused, p)
}

// ExportOffsets writes the committed offsets as CSV.
func (c *Consumer) ExportOffsets(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	offs := c.Offsets()
	parts := make([]int, 0, len(offs))
	for p := range offs {
		parts = append(parts, p)
	}
	sort.Ints(parts)
	for _, p := range parts {
		w.Write([]string{strconv.Itoa(p), strconv.FormatInt(offs[p], 10)})
	}
	w.Flush()
	return w.Error()
}

// ImportOffsets reads offsets from several CSV exports, later files winning.
func (c *Consumer) ImportOffsets(paths []string) error {
	merged := make(map[int]int64)
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for _, row := range rows {
			p, perr := strconv.Atoi(row[0])
			off, oerr := strconv.ParseInt(row[1], 10, 64)
			if perr == nil && oerr == nil {
				merged[p] = off
			}
		}
	}
	c.Seek(merged)
	return nil
}

// FetchFirst returns the first batch any of parts yields, or ctx's error.
func (c *Consumer) FetchFirst(ctx context.Context, parts []int) ([]record.Record, error) {
	found := make(chan []record.Record)
	for _, p := range parts {
		go func() {
			recs, err := c.src.Fetch(ctx, p, c.Offset(p), c.cfg.BatchSize)
			if err == nil && len(recs) > 0 {
				found <- recs // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case recs := <-found:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// CheckAll runs check on every partition in parallel.
func (c *Consumer) CheckAll(parts []int, check func(int) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, p := range parts {
		wg.Add(1)
		go func() {
			if err := check(p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// SaveOffsets writes offsets to a state file.
func (c *Consumer) SaveOffsets(path string) error {
	f, err := os.Create(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	for p, off := range c.Offsets() {
		if _, err := fmt.Fprintf(f, "%d %d\n", p, off); err != nil {
			return err
		}
	}
	return f.Close()
}

// PausedPartitions lists the paused partitions.
func (c *Consumer) PausedPartitions() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps := make([]int, 0, len(c.paused))
	for p, v := range c.paused {
		if v {
			ps = append(ps, p)
		}
	}
	sort.Ints(ps)
	return ps
}

// RevokeExcept stops every worker whose partition is not in owned.
func (c *Consumer) RevokeExcept(owned []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := make(map[int]bool, len(owned))
	for _, p := range owned {
		keep[p] = true
	}
	var revoke []int
	for p := range c.workers {
		if !keep[p] {
			revoke = append(revoke, p)
		}
	}
	c.Revoke(revoke) // HAZ lock-reentry-under-defer
}
