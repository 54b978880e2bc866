package workflow

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"example.com/unusualpos3/internal/container"
)

// Saga executes runs step by step, compensating on failure.
type Saga struct {
	eng      *Engine
	queue    *container.Queue[string]
	onStep   func(step string, err error)
	finished chan string
	hookDir  string
}

// NewSaga returns a saga over eng. finished receives the ID of every run
// handled by RunTracked; it is read by the status page goroutine.
func NewSaga(eng *Engine, queue *container.Queue[string], hookDir string) *Saga {
	return &Saga{
		eng:      eng,
		queue:    queue,
		onStep:   func(step string, err error) { eng.audit.Record("saga/"+step, err) },
		finished: make(chan string),
		hookDir:  hookDir,
	}
}

// runStats summarises the runs of an engine.
type runStats struct {
	total, done, failed int
}

// stats computes the current run statistics.
func (e *Engine) stats() runStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	var st runStats
	for _, r := range e.runs {
		st.total++
		switch r.State {
		case StateDone:
			st.done++
		case StateFailed:
			st.failed++
		}
	}
	return st
}

// Log writes the statistics to l.
func (st runStats) Log(l *log.Logger) {
	l.Printf("runs: %d total, %d done, %d failed", st.total, st.done, st.failed)
}

// markFinished records when r finished. The run is owned by its saga at
// that point, so no lock is needed.
func (e *Engine) markFinished(r *Run, at time.Time) {
	r.Finished = at
	e.logger.Printf("run %s finished after %s", r.ID, at.Sub(r.Started).Round(time.Millisecond))
}

// stepWithRetry runs one step up to attempts times.
func (s *Saga) stepWithRetry(ctx context.Context, r *Run, name string, attempts int) (err error) {
	defer s.onStep(name, err) // HAZ defer-eager-evaluation
	for i := range attempts {
		if err = s.eng.runStep(ctx, r, name); err == nil {
			return nil
		}
		time.Sleep(time.Duration(i+1) * 100 * time.Millisecond)
	}
	return err
}

// Run executes every step of r, compensating when one fails.
func (s *Saga) Run(ctx context.Context, r *Run) error {
	defer s.eng.markFinished(r, time.Now()) // HAZ defer-eager-evaluation
	for _, name := range r.WF.Steps {
		if err := s.stepWithRetry(ctx, r, name, 3); err != nil {
			return s.abort(ctx, r, err)
		}
	}
	return nil
}

// RunStamped is Run recording the finish time at return.
func (s *Saga) RunStamped(ctx context.Context, r *Run) error {
	defer func() { s.eng.markFinished(r, time.Now()) }()
	for _, name := range r.WF.Steps {
		if err := s.stepWithRetry(ctx, r, name, 3); err != nil {
			return s.abort(ctx, r, err)
		}
	}
	return nil
}

// abort compensates the completed steps of r after cause.
func (s *Saga) abort(ctx context.Context, r *Run, cause error) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if r.WF.Isolation == "exclusive" {
		release = s.eng.lockRun(r.ID)
	}
	for i := len(r.Done) - 1; i >= 0; i-- {
		if comp, ok := s.eng.compensate[r.Done[i]]; ok {
			if err := comp(ctx, r); err != nil {
				s.eng.logger.Printf("compensate %s/%s: %v", r.ID, r.Done[i], err)
			}
		}
	}
	return fmt.Errorf("run %s aborted: %w", r.ID, cause)
}

// RunAll runs every run in order and logs the statistics at the end.
func (s *Saga) RunAll(ctx context.Context, runs []*Run) error {
	defer s.eng.stats().Log(s.eng.logger) // HAZ defer-call-chain
	for _, r := range runs {
		if err := s.Run(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// Requeue retries the run called id and puts it back on the queue.
func (s *Saga) Requeue(id string) error {
	defer func() error { // HAZ defer-ineffective-return
		return s.queue.Push(id)
	}()
	return s.eng.Retry(id)
}

// Checkpointed runs one step, journaling it in a batch.
func (s *Saga) Checkpointed(ctx context.Context, r *Run, name string) (err error) {
	if b, err := s.eng.journal.Batch(r.ID); err == nil {
		defer func() { // HAZ defer-ineffective-return
			if cerr := b.Close(); cerr != nil {
				err = cerr
			}
		}()
		b.Add(Record{Kind: "step", Step: name, At: time.Now()})
	}
	return s.eng.runStep(ctx, r, name)
}

// Journaled is Checkpointed with the batch error reaching the caller.
func (s *Saga) Journaled(ctx context.Context, r *Run, name string) (err error) {
	b, berr := s.eng.journal.Batch(r.ID)
	if berr != nil {
		return berr
	}
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	b.Add(Record{Kind: "step", Step: name, At: time.Now()})
	return s.eng.runStep(ctx, r, name)
}

// RunTracked runs r and announces it on the finished channel.
func (s *Saga) RunTracked(ctx context.Context, r *Run) error {
	defer func() { s.finished <- r.ID }() // HAZ defer-blocking-call
	return s.Run(ctx, r)
}

// RunAnnounced runs r and announces it if the status page is listening.
func (s *Saga) RunAnnounced(ctx context.Context, r *Run) error {
	defer func() {
		select {
		case s.finished <- r.ID:
		default:
		}
	}()
	return s.Run(ctx, r)
}

// RunWithHooks runs r and then its post hook script.
func (s *Saga) RunWithHooks(ctx context.Context, r *Run) error {
	defer s.runHook("post", r.ID) // HAZ defer-blocking-call
	return s.Run(ctx, r)
}

// runHook runs the hook script for stage, if installed.
func (s *Saga) runHook(stage, id string) {
	if s.hookDir == "" {
		return
	}
	path := filepath.Join(s.hookDir, stage)
	if _, err := os.Stat(path); err != nil {
		return
	}
	if out, err := exec.Command(path, id).CombinedOutput(); err != nil {
		s.eng.logger.Printf("hook %s %s: %v: %s", stage, id, err, out)
	}
}

// checkPanic converts a pending panic into an error.
func (s *Saga) checkPanic(step string) error {
	if r := recover(); r != nil { // HAZ recover-ineffective
		return fmt.Errorf("step %s panicked: %v", step, r)
	}
	return nil
}

// guardedStep runs one step and reports a panic as an error.
func (s *Saga) guardedStep(ctx context.Context, r *Run, name string) error {
	err := s.eng.runStep(ctx, r, name)
	if perr := s.checkPanic(name); perr != nil {
		return perr
	}
	return err
}

// RunBatch runs every run concurrently; a panicking run is logged.
func (s *Saga) RunBatch(ctx context.Context, runs []*Run) {
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					s.eng.logger.Printf("run %s panicked: %v", r.ID, p)
				}
			}()
			if err := s.Run(ctx, r); err != nil {
				s.eng.logger.Printf("run %s: %v", r.ID, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RunBatchSafe is RunBatch with Done deferred ahead of the recover.
func (s *Saga) RunBatchSafe(ctx context.Context, runs []*Run) {
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					s.eng.logger.Printf("run %s panicked: %v", r.ID, p)
				}
			}()
			if err := s.Run(ctx, r); err != nil {
				s.eng.logger.Printf("run %s: %v", r.ID, err)
			}
		}()
	}
	wg.Wait()
}

// VerifyAll validates the workflows of runs concurrently.
func (s *Saga) VerifyAll(runs []*Run) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	for i, r := range runs {
		wg.Add(1)
		go s.verifyOne(&wg, r, &errs[i])
	}
	wg.Wait()
	return errs
}

// verifyOne validates one run's workflow.
func (s *Saga) verifyOne(wg *sync.WaitGroup, r *Run, out *error) {
	if r.WF == nil {
		*out = ErrNoWorkflow
		goto fail
	}
	if err := r.WF.Validate(); err != nil {
		*out = err
		goto fail
	}
	wg.Done() // HAZ waitgroup-done-path
	return
fail:
	s.eng.logger.Printf("run %s: invalid workflow: %v", r.ID, *out)
}

// check reports whether r is ready to run.
func (s *Saga) check(ctx context.Context, r *Run) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.WF == nil {
		return ErrNoWorkflow
	}
	return r.WF.Validate()
}

// Preflight checks every run concurrently and fails on the first problem.
func (s *Saga) Preflight(ctx context.Context, runs []*Run) error {
	errs := make(chan error)
	for _, r := range runs {
		go func() { errs <- s.check(ctx, r) }() // HAZ goroutine-blocked-send
	}
	for range runs {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// PreflightAll is Preflight with room for every answer.
func (s *Saga) PreflightAll(ctx context.Context, runs []*Run) error {
	errs := make(chan error, len(runs))
	for _, r := range runs {
		go func() { errs <- s.check(ctx, r) }()
	}
	for range runs {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// execStep runs one step and reports the result on res.
func (s *Saga) execStep(ctx context.Context, r *Run, name string, res chan<- error) {
	res <- s.eng.runStep(ctx, r, name)
}

// RunTimed runs the steps of r, giving each at most perStep.
func (s *Saga) RunTimed(ctx context.Context, r *Run, perStep time.Duration) error {
	for _, name := range r.WF.Steps {
		res := make(chan error)
		go s.execStep(ctx, r, name, res) // HAZ goroutine-blocked-send
		select {
		case err := <-res:
			if err != nil {
				return err
			}
		case <-time.After(perStep):
			return fmt.Errorf("step %s/%s: timed out after %s", r.ID, name, perStep)
		}
	}
	return nil
}

// scanResult is the outcome of scanning one input directory.
type scanResult struct {
	files []string
	err   error
}

// scan lists the files of dir.
func (s *Saga) scan(dir string, out chan<- scanResult) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		out <- scanResult{err: err}
		return
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	out <- scanResult{files: files}
}

// ScanInputs lists the input files of all dirs concurrently.
func (s *Saga) ScanInputs(dirs []string) ([]string, error) {
	found := make(chan scanResult, len(dirs))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, d := range dirs {
		go s.scan(d, found)
	}
	var all []string
	for range dirs {
		r := <-found
		if r.err != nil {
			return nil, r.err
		}
		all = append(all, r.files...)
	}
	return all, nil
}
