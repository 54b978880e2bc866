package gen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Clean removes files under OutDir that this run did not produce. keep
// holds paths relative to OutDir.
func (g *Generator) Clean(keep map[string]bool) (removed int, err error) {
	defer g.log.Printf("clean: removed %d stale files from %s", removed, g.cfg.OutDir) // HAZ defer-eager-evaluation
	stale, err := g.stale(keep)
	if err != nil {
		return 0, err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// DryClean lists what Clean would remove. The summary is logged by a
// deferred closure, which reads n and the clock when it runs.
func (g *Generator) DryClean(keep map[string]bool) (n int, err error) {
	start := time.Now()
	defer func() {
		g.log.Printf("dry clean: %d stale files found in %v (err=%v)", n, time.Since(start), err)
	}()
	stale, err := g.stale(keep)
	if err != nil {
		return 0, err
	}
	for _, p := range stale {
		fmt.Println(p)
	}
	return len(stale), nil
}

// stale returns the files under OutDir that are not in keep.
func (g *Generator) stale(keep map[string]bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(g.cfg.OutDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == ".gentool.lock" {
			return nil
		}
		rel, err := filepath.Rel(g.cfg.OutDir, p)
		if err != nil {
			return err
		}
		if !keep[filepath.ToSlash(rel)] {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// PruneCache drops cache entries for targets that no longer exist. The
// deferred log line gets a snapshot of values that do not change later.
func (g *Generator) PruneCache(targets []Target) int {
	live := make(map[string]bool, len(targets))
	for _, t := range targets {
		live[t.Name] = true
	}
	before := g.cache.Len()
	defer g.log.Printf("prune: cache had %d entries for %d targets", before, len(live))
	n := 0
	for _, k := range g.cache.Keys() {
		if !live[k] && g.cache.Delete(k) {
			n++
		}
	}
	return n
}
