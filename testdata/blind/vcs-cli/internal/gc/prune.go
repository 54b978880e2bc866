package gc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
)

// sweep removes unmarked loose objects older than cutoff. It returns the
// removed ids and the number of loose objects left.
func (c *Collector) sweep(ctx context.Context, cutoff time.Time) ([]object.ID, int, error) {
	c.mu.Lock()
	live := make(map[object.ID]bool, len(c.marks))
	for id := range c.marks {
		live[id] = true
	}
	c.mu.Unlock()

	var removed []object.ID
	loose := 0
	err := c.store.ForEach(func(id object.ID, info fs.FileInfo) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if live[id] || info.ModTime().After(cutoff) {
			loose++
			return nil
		}
		if err := c.store.Remove(id); err != nil {
			return err
		}
		removed = append(removed, id)
		return nil
	})
	return removed, loose, err
}

// notifyRemoved tells the observers which objects were deleted.
func (c *Collector) notifyRemoved(ids []object.ID) {
	if len(ids) == 0 {
		return
	}
	c.mu.Lock()
	observers := append([]func([]object.ID){}, c.observers...)
	c.mu.Unlock()
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a misbehaving observer must not stop the collector
		}
	}()
	for _, fn := range observers {
		fn(ids)
	}
}

type shardListing struct {
	dir   string
	names []string
	err   error
}

// scanShards lists the loose object files of each fan-out directory in
// parallel.
func (c *Collector) scanShards(shards []string) ([]string, error) {
	results := make(chan shardListing, len(shards))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, dir := range shards {
		go func(dir string) {
			entries, err := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			results <- shardListing{dir: dir, names: names, err: err}
		}(dir)
	}
	var out []string
	for range shards {
		l := <-results
		if l.err != nil {
			return nil, fmt.Errorf("gc: scan %s: %w", l.dir, l.err)
		}
		for _, n := range l.names {
			out = append(out, filepath.Join(l.dir, n))
		}
	}
	return out, nil
}

// LooseCount returns the number of loose object files.
func (c *Collector) LooseCount() (int, error) {
	shards, err := filepath.Glob(filepath.Join(c.store.Root(), "[0-9a-f][0-9a-f]"))
	if err != nil {
		return 0, err
	}
	files, err := c.scanShards(shards)
	if err != nil {
		return 0, err
	}
	return len(files), nil
}

// listShards is scanShards done safely: every result is received, or the
// channel is left open for the garbage collector when it returns early.
func (c *Collector) listShards(shards []string) ([]string, error) {
	results := make(chan shardListing, len(shards))
	for _, dir := range shards {
		go func(dir string) {
			entries, err := os.ReadDir(dir)
			names := make([]string, 0, len(entries))
			for _, e := range entries {
				names = append(names, e.Name())
			}
			results <- shardListing{dir: dir, names: names, err: err}
		}(dir)
	}
	var out []string
	var firstErr error
	for range shards {
		l := <-results
		if l.err != nil && firstErr == nil {
			firstErr = fmt.Errorf("gc: scan %s: %w", l.dir, l.err)
		}
		for _, n := range l.names {
			out = append(out, filepath.Join(l.dir, n))
		}
	}
	return out, firstErr
}

// TempFiles lists leftover temporary object files.
func (c *Collector) TempFiles() ([]string, error) {
	shards, err := filepath.Glob(filepath.Join(c.store.Root(), "[0-9a-f][0-9a-f]"))
	if err != nil {
		return nil, err
	}
	all, err := c.listShards(shards)
	if err != nil {
		return nil, err
	}
	var tmp []string
	for _, p := range all {
		if strings.HasPrefix(filepath.Base(p), "tmp_obj_") {
			tmp = append(tmp, p)
		}
	}
	return tmp, nil
}

// pruneShard removes temporary files older than cutoff from one fan-out
// directory (left behind by writers that crashed).
func (c *Collector) pruneShard(dir string, cutoff time.Time) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "tmp_obj_") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		if info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// pruneShards runs pruneShard over every shard in parallel.
func (c *Collector) pruneShards(shards []string, cutoff time.Time) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(shards))
	for _, shard := range shards {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs <- c.pruneShard(shard, cutoff)
		}()
		c.opts.Logger.Printf("gc: pruning %s", shard)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// PruneTemp removes stale temporary files from every shard.
func (c *Collector) PruneTemp(maxAge time.Duration) error {
	shards, err := filepath.Glob(filepath.Join(c.store.Root(), "[0-9a-f][0-9a-f]"))
	if err != nil {
		return err
	}
	return c.pruneShards(shards, time.Now().Add(-maxAge))
}

// repackGroups builds one pack per group of ids, in parallel.
func (c *Collector) repackGroups(groups [][]object.ID) ([]string, error) {
	var wg sync.WaitGroup
	names := make(chan string, len(groups))
	errs := make(chan error, len(groups))
	for _, g := range groups {
		wg.Add(1)
		go func(ids []object.ID) {
			defer wg.Done()
			if len(ids) == 0 {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			name, err := pack.Build(c.packDir, c.store, ids)
			if err != nil {
				errs <- err
				return
			}
			names <- name
		}(g)
	}
	wg.Wait()
	close(names)
	close(errs)
	var out []string
	for n := range names {
		out = append(out, n)
	}
	return out, <-errs
}

// RepackByKind writes one pack for commits and trees and one for blobs.
func (c *Collector) RepackByKind() ([]string, error) {
	var meta, blobs []object.ID
	err := c.store.ForEach(func(id object.ID, _ fs.FileInfo) error {
		kind, _, err := c.store.Read(id)
		if err != nil {
			return err
		}
		if kind == object.KindBlob {
			blobs = append(blobs, id)
		} else {
			meta = append(meta, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.repackGroups([][]object.ID{meta, blobs})
}
