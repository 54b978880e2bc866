// Package backfill recomputes historical feature values window by window and
// writes them to a sink, under per-job and per-window context deadlines, with
// checkpoints so that an interrupted job resumes where it stopped.
package backfill

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Row is one recomputed feature value.
type Row struct {
	EntityID string
	Ts       time.Time
	Value    float64
}

// Source recomputes a feature over [from, to).
type Source func(ctx context.Context, feature string, from, to time.Time) ([]Row, error)

// Tx is a sink transaction: all of a window's rows land, or none.
type Tx interface {
	Put(Row) error
	Commit() error
	Rollback()
}

// Sink receives backfilled rows.
type Sink interface {
	Begin(feature string) (Tx, error)
}

// Job is one backfill request.
type Job struct {
	ID       string        `json:"id"`
	Feature  string        `json:"feature"`
	From     time.Time     `json:"from"`
	To       time.Time     `json:"to"`
	Window   time.Duration `json:"window"`
	Deadline time.Duration `json:"deadline,omitempty"` // whole job; 0 = none
}

// Validate checks the job's range and window.
func (j Job) Validate() error {
	switch {
	case j.ID == "" || j.Feature == "":
		return errors.New("backfill: job needs an id and a feature")
	case !j.From.Before(j.To):
		return fmt.Errorf("backfill %s: empty range", j.ID)
	case j.Window <= 0:
		return fmt.Errorf("backfill %s: window must be positive", j.ID)
	}
	return nil
}

func (j Job) windowsFrom(from time.Time) [][2]time.Time {
	var out [][2]time.Time
	for t := from; t.Before(j.To); t = t.Add(j.Window) {
		end := t.Add(j.Window)
		if end.After(j.To) {
			end = j.To
		}
		out = append(out, [2]time.Time{t, end})
	}
	return out
}

// Runner runs backfill jobs.
type Runner struct {
	src  Source
	sink Sink

	WindowTimeout time.Duration // per source call
	LockDir       string        // optional: one lock file per running job
	CheckpointDir string        // optional: resume points
	AuditLog      string        // optional: one line per finished job
	Parallel      int
	ProgressEvery time.Duration
	AfterJob      func(Job, error) // optional hook
	Logf          func(format string, args ...any)
}

// NewRunner returns a runner with default limits.
func NewRunner(src Source, sink Sink) *Runner {
	return &Runner{
		src:           src,
		sink:          sink,
		WindowTimeout: 30 * time.Second,
		Parallel:      4,
		ProgressEvery: 10 * time.Second,
		Logf:          log.Printf,
	}
}

// Run backfills one job, resuming from its checkpoint if there is one.
func (r *Runner) Run(ctx context.Context, job Job) (err error) {
	if err := job.Validate(); err != nil {
		return err
	}
	if job.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, job.Deadline)
		defer cancel()
	}
	start := time.Now()
	defer func() { r.logResult(job, time.Since(start), err) }()
	from := job.From
	if cp, cerr := r.loadCheckpoint(job); cerr == nil && cp.After(from) {
		from = cp
	}
	for _, w := range job.windowsFrom(from) {
		if err := r.runWindow(ctx, job, w[0], w[1]); err != nil {
			return fmt.Errorf("backfill %s [%s, %s): %w", job.ID, w[0].Format(time.RFC3339), w[1].Format(time.RFC3339), err)
		}
		if err := r.saveCheckpoint(job, w[1]); err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) logResult(job Job, took time.Duration, err error) {
	status := "ok"
	if err != nil {
		status = "failed: " + err.Error()
	}
	r.Logf("backfill %s (%s) %s after %s", job.ID, job.Feature, status, took.Round(time.Millisecond))
	if r.AfterJob != nil {
		r.runHook(r.AfterJob, job, err)
	}
	if r.AuditLog != "" {
		line := fmt.Sprintf("%s\t%s\t%s\t%s", time.Now().UTC().Format(time.RFC3339), job.ID, job.Feature, status)
		if aerr := appendAudit(r.AuditLog, line); aerr != nil {
			r.Logf("backfill: audit log: %v", aerr)
		}
	}
}

func (r *Runner) runWindow(ctx context.Context, job Job, from, to time.Time) error {
	rows, err := r.fetch(ctx, job.Feature, from, to)
	if err != nil {
		return err
	}
	return r.commitWindow(job, rows)
}

// fetch calls the source under the per-window timeout. Sources are not all
// context-aware, so the call runs in its own goroutine.
func (r *Runner) fetch(ctx context.Context, feature string, from, to time.Time) ([]Row, error) {
	ctx, cancel := context.WithTimeout(ctx, r.WindowTimeout)
	defer cancel()
	type result struct {
		rows []Row
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		rows, err := r.src(ctx, feature, from, to)
		ch <- result{rows, err}
	}()
	select {
	case res := <-ch:
		return res.rows, res.err
	case <-ctx.Done():
		return nil, fmt.Errorf("fetch %s: %w", feature, ctx.Err())
	}
}

// commitWindow writes one window's rows in a single sink transaction.
func (r *Runner) commitWindow(job Job, rows []Row) error {
	tx, err := r.sink.Begin(job.Feature)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	for _, row := range rows {
		if err = tx.Put(row); err != nil {
			return fmt.Errorf("backfill %s: put %s: %w", job.ID, row.EntityID, err)
		}
	}
	return nil
}

// RunAll runs jobs one after the other and stops at the first failure.
func (r *Runner) RunAll(ctx context.Context, jobs []Job) error {
	var err error
	defer r.logBatch(len(jobs), err) // HAZ defer-eager-evaluation
	for _, j := range jobs {
		if err = r.Run(ctx, j); err != nil {
			break
		}
	}
	return err
}

func (r *Runner) logBatch(n int, err error) {
	if err != nil {
		r.Logf("backfill: batch of %d jobs failed: %v", n, err)
		return
	}
	r.Logf("backfill: batch of %d jobs done", n)
}

// RunParallel runs up to r.Parallel jobs at once; the first failure cancels
// the rest and is returned.
func (r *Runner) RunParallel(ctx context.Context, jobs []Job) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errCh := make(chan error, len(jobs))
	sem := make(chan struct{}, max(1, r.Parallel))
	report := func(n int64) { r.Logf("backfill: %d/%d jobs finished", n, len(jobs)) }
	withProgress(r.ProgressEvery, report, func(step func()) {
		var wg sync.WaitGroup
		for _, j := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer step()
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					errCh <- ctx.Err()
					return
				}
				err := r.runGuarded(ctx, j)
				<-sem
				if err != nil {
					errCh <- err
					cancel()
				}
			}()
		}
		wg.Wait()
	})
	close(errCh)
	return <-errCh // first error, or nil from the drained channel
}

// runGuarded turns a panic in one job into that job's error.
func (r *Runner) runGuarded(ctx context.Context, job Job) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("backfill %s: panic: %v", job.ID, rec)
		}
	}()
	return r.Run(ctx, job)
}

// RunExclusive runs job while holding its lock file, when a lock directory
// is configured, so that two schedulers never backfill the same job.
func (r *Runner) RunExclusive(ctx context.Context, job Job) error {
	var release func()
	if r.LockDir != "" {
		rel, err := acquireLockFile(filepath.Join(r.LockDir, job.ID+".lock"))
		if err != nil {
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func
	return r.Run(ctx, job)
}

func acquireLockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("backfill: lock %s: %w", path, err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() { _ = os.Remove(path) }, nil
}

// withProgress runs work, calling report with the number of completed steps
// every tick until work returns.
func withProgress(tick time.Duration, report func(done int64), work func(step func())) {
	if tick <= 0 {
		work(func() {})
		return
	}
	done := make(chan struct{})
	defer close(done)
	var n atomic.Int64
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				report(n.Load())
			}
		}
	}()
	work(func() { n.Add(1) })
}

// Drain runs jobs from a queue until the queue is closed or a job with an
// empty ID (the stop marker) arrives. Each job is run under its lock file.
func (r *Runner) Drain(ctx context.Context, jobs <-chan Job) int {
	done := 0
	for job := range jobs {
		if job.ID == "" {
			break
		}
		release, err := acquireLockFile(filepath.Join(r.LockDir, job.ID+".lock"))
		if err != nil {
			r.Logf("backfill: skip %s: %v", job.ID, err)
			continue
		}
		defer release() // HAZ defer-in-loop
		if err := r.Run(ctx, job); err == nil {
			done++
		}
	}
	return done
}
