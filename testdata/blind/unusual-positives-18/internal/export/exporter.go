package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/up18/internal/metrics"
	"example.com/up18/internal/spool"
)

// Exporter queues batches in memory and writes them to dir on Flush.
type Exporter struct {
	dir     string
	mu      sync.Mutex
	pending []Batch
	// report is the metrics registry's Result method value.
	report func(op string, err error)
}

// New returns an exporter writing into dir and reporting outcomes to m.
func New(dir string, m *metrics.Registry) *Exporter {
	return &Exporter{dir: dir, report: m.Result}
}

// Queue adds b to the pending batches.
func (e *Exporter) Queue(b Batch) {
	e.mu.Lock()
	e.pending = append(e.pending, b)
	e.mu.Unlock()
}

func (e *Exporter) requeue(bs []Batch) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pending = append(append([]Batch(nil), bs...), e.pending...)
}

// Flush writes every pending batch; batches not written are queued again.
func (e *Exporter) Flush(ctx context.Context) error {
	defer metrics.Track("export.flush") // HAZ defer-func-result-not-called
	e.mu.Lock()
	pending := e.pending
	e.pending = nil
	e.mu.Unlock()
	for i, b := range pending {
		if err := ctx.Err(); err != nil {
			e.requeue(pending[i:])
			return err
		}
		if err := WriteBatchSynced(e.dir, b); err != nil {
			e.requeue(pending[i:])
			return err
		}
	}
	return nil
}

// Rotate moves the current spool file aside under a timestamped name and
// starts an empty one.
func (e *Exporter) Rotate(now time.Time) error {
	var err error
	defer e.report("rotate", err) // HAZ defer-eager-evaluation
	cur := filepath.Join(e.dir, "current.log")
	next := filepath.Join(e.dir, "rotated-"+now.UTC().Format("20060102T150405")+".log")
	if err = os.Rename(cur, next); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("rotate: %w", err)
	}
	f, err := spool.Create(cur)
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	err = f.Close()
	return err
}

// Compact gzips every rotated file into out and removes the originals.
func (e *Exporter) Compact(out string) (err error) {
	defer metrics.Track("export.compact")()
	defer func() { e.report("compact", err) }()
	rotated, err := filepath.Glob(filepath.Join(e.dir, "rotated-*.log"))
	if err != nil || len(rotated) == 0 {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err = Archive(f, rotated); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	for _, p := range rotated {
		if err = os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}

// Pending reports how many batches are queued.
func (e *Exporter) Pending() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.pending)
}
