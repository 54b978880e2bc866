package merge

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/searchindexer/internal/segment"
)

// Janitor removes temporary files left behind by crashed segment writers.
type Janitor struct {
	dir      string
	interval time.Duration
	maxAge   time.Duration
	logger   *log.Logger
}

// NewJanitor returns a janitor for dir.
func NewJanitor(dir string, interval, maxAge time.Duration, logger *log.Logger) *Janitor {
	return &Janitor{dir: dir, interval: interval, maxAge: maxAge, logger: logger}
}

// Run sweeps forever; indexd starts it once per process.
func (j *Janitor) Run() {
	for {
		time.Sleep(j.interval)
		d, err := os.Open(j.dir)
		if err != nil {
			j.logger.Printf("janitor: %v", err)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		names, err := d.Readdirnames(-1)
		if err != nil {
			j.logger.Printf("janitor: %v", err)
			continue
		}
		j.sweep(names)
	}
}

// RunContext sweeps every interval until ctx is cancelled.
func (j *Janitor) RunContext(ctx context.Context) {
	t := time.NewTicker(j.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := j.SweepOnce(); err != nil {
			j.logger.Printf("janitor: %v", err)
		}
	}
}

// SweepOnce performs a single sweep.
func (j *Janitor) SweepOnce() error {
	d, err := os.Open(j.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return err
	}
	if n := j.sweep(names); n > 0 {
		j.logger.Printf("janitor: removed %d stale temp files", n)
	}
	return nil
}

func (j *Janitor) sweep(names []string) int {
	removed := 0
	for _, n := range names {
		if !strings.HasPrefix(n, ".seg-") && !strings.Contains(n, ".tmp-") {
			continue
		}
		p := filepath.Join(j.dir, n)
		info, err := os.Stat(p)
		if err != nil || time.Since(info.ModTime()) < j.maxAge {
			continue
		}
		if err := os.Remove(p); err == nil {
			removed++
		}
	}
	return removed
}

// CompactDir merges every segment of an offline index directory into one,
// holding the directory lock for the duration.
func CompactDir(ctx context.Context, dir string, logger *log.Logger) error {
	lk, err := segment.LockDir(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.Release(); rerr != nil {
			err = fmt.Errorf("release lock: %w", rerr)
		}
	}()
	metas, err := segment.ReadManifest(dir)
	if err != nil {
		return err
	}
	cat := NewStaticCatalog(metas)
	w := segment.NewWriter(dir, segment.MaxID(metas), true, logger)
	err = New(DefaultPolicy(), cat, w, os.TempDir(), logger).Optimize(ctx)
	if err == nil {
		err = w.PublishManifest(cat.Segments())
	}
	return err
}
