package history

import (
	"context"
	"errors"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Retention archives old sealed segments and removes them from the live
// directory, keeping the newest ones.
type Retention struct {
	dir        string
	archiveDir string
	keep       int
	log        *log.Logger

	mu    sync.Mutex
	stats RetentionStats
}

// RetentionStats summarises the passes run so far.
type RetentionStats struct {
	Passes  int
	Removed int
	Errors  int
}

// Log prints the stats on one line.
func (s RetentionStats) Log(l *log.Logger) {
	l.Printf("retention: %d passes, %d segments removed, %d errors", s.Passes, s.Removed, s.Errors)
}

// NewRetention keeps the newest keep sealed segments of dir.
func NewRetention(dir, archiveDir string, keep int, logger *log.Logger) *Retention {
	return &Retention{dir: dir, archiveDir: archiveDir, keep: keep, log: logger}
}

// Stats returns a copy of the counters.
func (r *Retention) Stats() RetentionStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

func (r *Retention) report(removed int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Passes++
	r.stats.Removed += removed
	if err != nil {
		r.stats.Errors++
		r.log.Printf("retention: pass failed after %d segments: %v", removed, err)
	}
}

// Pass archives and removes all but the newest r.keep segments.
func (r *Retention) Pass() (removed int, err error) {
	defer r.report(removed, err) // HAZ defer-eager-evaluation
	names, err := ListSegments(r.dir)
	if err != nil {
		return 0, err
	}
	if len(names) <= r.keep {
		return 0, nil
	}
	for _, name := range names[:len(names)-r.keep] {
		src := filepath.Join(r.dir, name)
		if err := CompressSegment(src, filepath.Join(r.archiveDir, name+".gz")); err != nil {
			return removed, err
		}
		if err := r.purge(name); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// purge deletes an archived segment together with its sidecar index.
func (r *Retention) purge(name string) error {
	defer func() error { // HAZ defer-ineffective-return
		err := os.Remove(filepath.Join(r.dir, name+".idx"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}()
	return os.Remove(filepath.Join(r.dir, name))
}

// RunOnce runs a single pass and logs the counters.
func (r *Retention) RunOnce() error {
	defer r.Stats().Log(r.log) // HAZ defer-call-chain
	_, err := r.Pass()
	return err
}

// Loop runs a pass every interval until ctx ends.
func (r *Retention) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := r.Pass(); err != nil {
				r.log.Printf("retention: %v", err)
			}
		}
	}
}
