package backfill

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// WriteCSV writes rows as entity_id,ts,value.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"entity_id", "ts", "value"}); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.EntityID, r.Ts.UTC().Format(time.RFC3339Nano), strconv.FormatFloat(r.Value, 'g', -1, 64)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// withJobDir runs fn with a private scratch directory next to parent. fn is
// expected to move its output out; the directory is removed afterwards and a
// non-empty leftover is reported.
func (r *Runner) withJobDir(job Job, parent string, fn func(dir string) error) error {
	dir, err := os.MkdirTemp(parent, ".backfill-"+job.ID+"-")
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := os.Remove(dir); rerr != nil {
			err = fmt.Errorf("backfill %s: scratch dir %s not cleaned up: %w", job.ID, dir, rerr)
		}
	}()
	err = fn(dir)
	return err
}

// ExportJob recomputes job's whole range and writes it to dst as CSV. The
// file is staged in a scratch directory and renamed into place, so dst
// never holds a partial export.
func (r *Runner) ExportJob(ctx context.Context, job Job, dst string) error {
	if err := job.Validate(); err != nil {
		return err
	}
	return r.withJobDir(job, filepath.Dir(dst), func(dir string) error {
		var rows []Row
		for _, win := range job.windowsFrom(job.From) {
			rs, err := r.fetch(ctx, job.Feature, win[0], win[1])
			if err != nil {
				return err
			}
			rows = append(rows, rs...)
		}
		tmp := filepath.Join(dir, filepath.Base(dst))
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := WriteCSV(f, rows); err != nil {
			f.Close()
			os.Remove(tmp)
			return err
		}
		if err := f.Close(); err != nil {
			os.Remove(tmp)
			return err
		}
		return os.Rename(tmp, dst)
	})
}

// Preview returns up to n recomputed rows of job, fetching every window
// concurrently. It backs the "what would this backfill write" endpoint.
func (r *Runner) Preview(ctx context.Context, job Job, n int) ([]Row, error) {
	if err := job.Validate(); err != nil {
		return nil, err
	}
	rows := make(chan Row)
	defer close(rows) // HAZ defer-close-chan-with-sender
	for _, w := range job.windowsFrom(job.From) {
		go func() {
			rs, err := r.fetch(ctx, job.Feature, w[0], w[1])
			if err != nil {
				return
			}
			for _, row := range rs {
				rows <- row
			}
		}()
	}
	out := make([]Row, 0, n)
	for len(out) < n {
		select {
		case row := <-rows:
			out = append(out, row)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// Probe fetches up to maxWindows windows of job concurrently to check that
// the source covers the range. It returns where probing stopped.
func (r *Runner) Probe(ctx context.Context, job Job, maxWindows int) (time.Time, error) {
	if err := job.Validate(); err != nil {
		return time.Time{}, err
	}
	maxWindows = max(1, maxWindows)
	errs := make(chan error, maxWindows)
	var wg sync.WaitGroup
	var t time.Time
	probed := 0
	for t = job.From; t.Before(job.To) && probed < maxWindows; t = t.Add(job.Window) {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := r.fetch(ctx, job.Feature, t, t.Add(job.Window)); err != nil {
				errs <- fmt.Errorf("window %s: %w", t.Format(time.RFC3339), err)
			}
		}()
		probed++
	}
	wg.Wait()
	close(errs)
	return t, <-errs
}

// runHook calls a user hook after a job; hooks are best effort.
func (r *Runner) runHook(hook func(Job, error), job Job, err error) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	hook(job, err)
}
