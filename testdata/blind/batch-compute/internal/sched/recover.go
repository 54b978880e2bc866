package sched

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// recoverTo converts a panic into an error stored in *errp. Use as defer recoverTo(&err).
func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
	}
}

// logPanic logs a recovered panic with its location.
func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("%s: panic: %v", where, r)
	}
}

// runHookLogged runs h and logs a panic instead of crashing.
func (s *Scheduler) runHookLogged(j *Job, h func(*Job)) {
	defer func() { logPanic(s.logger, "hook "+j.ID) }()
	h(j)
}

// guardHook logs a hook panic; it is deferred directly.
func (s *Scheduler) guardHook(id string) {
	if r := recover(); r != nil {
		s.logger.Printf("hook for %s panicked: %v", id, r)
	}
}

// runHookGuarded runs h with guardHook deferred directly.
func (s *Scheduler) runHookGuarded(j *Job, h func(*Job)) {
	defer s.guardHook(j.ID)
	h(j)
}

// runQuiet runs run and is meant to survive a panicking job.
func runQuiet(ctx context.Context, run func(context.Context) error) error {
	defer recover() // HAZ recover-ineffective
	return run(ctx)
}

// fireHook runs the hook for ev's state.
func (s *Scheduler) fireHook(ctx context.Context, ev Event) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.logger.Printf("hook for %s panicked: %v", ev.JobID, r)
			}
		}
		report()
	}()
	s.mu.Lock()
	h, j := s.hooks[ev.State], s.jobs[ev.JobID]
	s.mu.Unlock()
	if h == nil || j == nil || ctx.Err() != nil {
		return
	}
	h(j)
}

func (s *Scheduler) notePanic(id string, r any) {
	if r != nil {
		s.logger.Printf("job %s panicked: %v", id, r)
	}
}

// Probe runs j once outside the scheduler, logging a panic.
func (s *Scheduler) Probe(ctx context.Context, j *Job) error {
	defer s.notePanic(j.ID, recover()) // HAZ recover-ineffective
	return j.Run(ctx)
}

// ProbeSafe runs j once outside the scheduler; the deferred closure calls recover itself.
func (s *Scheduler) ProbeSafe(ctx context.Context, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.notePanic(j.ID, r)
			err = fmt.Errorf("probe %s: %v", j.ID, r)
		}
	}()
	return j.Run(ctx)
}

// safeHook runs h and keeps a misbehaving hook from killing the scheduler.
func (s *Scheduler) safeHook(h func(*Job), j *Job) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	h(j)
}

// mustRun runs j and re-panics after logging, so the panic is never lost.
func (s *Scheduler) mustRun(ctx context.Context, j *Job) error {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Printf("job %s: fatal panic: %v", j.ID, r)
			panic(r)
		}
	}()
	return j.Run(ctx)
}

// RunBatch runs jobs directly, in parallel, outside the queue.
func (s *Scheduler) RunBatch(ctx context.Context, jobs []*Job) (err error) {
	defer recoverTo(&err)
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go s.runDirect(ctx, j, &errs[i], &wg) // HAZ goroutine-outside-recover
	}
	wg.Wait()
	return joinErrs(errs)
}

func (s *Scheduler) runDirect(ctx context.Context, j *Job, errp *error, wg *sync.WaitGroup) {
	defer wg.Done()
	*errp = j.Run(ctx)
}

// runDirectSafe is runDirect with its own panic recovery.
func (s *Scheduler) runDirectSafe(ctx context.Context, j *Job, errp *error, wg *sync.WaitGroup) {
	defer wg.Done()
	defer recoverTo(errp)
	*errp = j.Run(ctx)
}

// RunBatchSafe runs jobs directly; each goroutine recovers its own panic.
func (s *Scheduler) RunBatchSafe(ctx context.Context, jobs []*Job) (err error) {
	defer recoverTo(&err)
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go s.runDirectSafe(ctx, j, &errs[i], &wg)
	}
	wg.Wait()
	return joinErrs(errs)
}

func joinErrs(errs []error) error {
	var n int
	var first error
	for _, e := range errs {
		if e != nil {
			if first == nil {
				first = e
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d jobs failed; first: %w", n, len(errs), first)
}
