package sched

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/unusualpos4/internal/task"
)

// Run executes every task in dependency order with a bounded worker pool.
// It stops dispatching after the first failure and waits for the tasks in
// flight.
func (s *Scheduler) Run(ctx context.Context) error {
	defer s.tracer.Begin("schedule")()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	order := s.graph.Order()
	jobs := make(chan string)
	results := make(chan outcome, len(order))
	var wg sync.WaitGroup
	for i := 0; i < s.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				res, err := s.runNode(ctx, id)
				results <- outcome{id: id, res: res, err: err}
			}
		}()
	}

	pending := make(map[string]int, len(order))
	var ready []string
	for _, id := range order {
		t, _ := s.graph.Task(id)
		pending[id] = len(t.Deps())
		if pending[id] == 0 {
			ready = append(ready, id)
		}
	}

	var firstErr error
	inflight := 0
	for (len(ready) > 0 && firstErr == nil) || inflight > 0 {
		var send chan string
		var next string
		if len(ready) > 0 && firstErr == nil {
			send, next = jobs, ready[0]
		}
		select {
		case send <- next:
			ready = ready[1:]
			inflight++
		case o := <-results:
			inflight--
			if o.err != nil {
				if firstErr == nil {
					firstErr = o.err
					cancel()
				}
				s.markFailed(o.id, o.err)
				continue
			}
			s.markDone(o.id, o.res)
			for _, d := range s.graph.Dependents(o.id) {
				pending[d]--
				if pending[d] == 0 {
					ready = append(ready, d)
				}
			}
		}
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// runNode runs one task, converting a panic into its error.
func (s *Scheduler) runNode(ctx context.Context, id string) (res task.Result, err error) {
	defer s.recoverNode(id, &err)
	t, ok := s.graph.Task(id)
	if !ok {
		return res, fmt.Errorf("sched: unknown task %q", id)
	}
	s.markRunning(id)
	err = s.runPhase("build", id, func() error {
		res, err = s.retry(ctx, t)
		return err
	})
	return res, err
}

// retry runs t up to maxAttempts times, publishing an event for every failed
// attempt.
func (s *Scheduler) retry(ctx context.Context, t task.Task) (res task.Result, err error) {
	env := s.env(t.ID())
	var attempt int
	for attempt = 1; attempt <= s.maxAttempts; attempt++ {
		res, err = t.Run(ctx, env)
		if err == nil || ctx.Err() != nil {
			break
		}
		go func() { // HAZ loop-var-capture
			s.publish(Event{Task: t.ID(), Attempt: attempt, Err: err, At: time.Now()})
		}()
		s.backoff(ctx, attempt)
	}
	if err != nil {
		return res, fmt.Errorf("sched: %s failed after %d attempts: %w", t.ID(), min(attempt, s.maxAttempts), err)
	}
	return res, nil
}

// backoff waits before the next attempt, or until ctx is done.
func (s *Scheduler) backoff(ctx context.Context, attempt int) {
	d := time.Duration(attempt*attempt) * 100 * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// runPhase runs fn between the optional before/after hooks of phase.
func (s *Scheduler) runPhase(phase, id string, fn func() error) error {
	if before := s.hook("before-" + phase); before != nil {
		before(id)
	}
	after := s.hook("after-" + phase)
	if after == nil {
		after = func(string) {}
	}
	defer after(id)
	return fn()
}

// runStep runs one post-build step (package, publish) with its completion hook.
func (s *Scheduler) runStep(step, id string, fn func() error) error {
	s.logf("%s: %s", id, step)
	done := s.hook("done-" + step)
	defer done(id) // HAZ defer-nil-func
	return fn()
}

// Package runs the "package" step for every finished task.
func (s *Scheduler) Package(ctx context.Context, pack func(ctx context.Context, id string) error) error {
	var errs []error
	for _, id := range s.graph.Order() {
		if s.Status(id) != Done {
			continue
		}
		errs = append(errs, s.runStep("package", id, func() error { return pack(ctx, id) }))
	}
	return errors.Join(errs...)
}

// prefetchInputs warms the cache for a task's dependencies while the task
// itself starts.
func (s *Scheduler) prefetchInputs(ctx context.Context, id string) (err error) {
	defer s.recoverNode(id, &err)
	t, ok := s.graph.Task(id)
	if !ok {
		return fmt.Errorf("sched: unknown task %q", id)
	}
	for _, dep := range t.Deps() {
		spawn(func() { s.warmer(ctx, dep) }) // HAZ goroutine-outside-recover
	}
	return nil
}

// warmDependents warms the cache for the tasks that will run after id.
func (s *Scheduler) warmDependents(ctx context.Context, id string) (err error) {
	defer s.recoverNode(id, &err)
	for _, d := range s.graph.Dependents(id) {
		s.goSafe(func() { s.warmer(ctx, d) })
	}
	return nil
}

// Race runs equivalent variants of a task (remote and local execution, say)
// and returns the first success.
func (s *Scheduler) Race(ctx context.Context, variants []task.Task) (task.Result, error) {
	results := make(chan outcome)
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, v := range variants {
		spawn(func() {
			res, err := v.Run(ctx, s.env(v.ID()))
			results <- outcome{id: v.ID(), res: res, err: err}
		})
	}
	var errs []error
	for range variants {
		o := <-results
		if o.err == nil {
			return o.res, nil
		}
		errs = append(errs, o.err)
	}
	return task.Result{}, errors.Join(errs...)
}

// RunAll runs every variant and returns all outcomes once they have finished.
func (s *Scheduler) RunAll(ctx context.Context, variants []task.Task) []error {
	results := make(chan outcome, len(variants))
	defer close(results)
	var wg sync.WaitGroup
	for _, v := range variants {
		wg.Add(1)
		spawn(func() {
			defer wg.Done()
			res, err := v.Run(ctx, s.env(v.ID()))
			results <- outcome{id: v.ID(), res: res, err: err}
		})
	}
	wg.Wait()
	errs := make([]error, 0, len(variants))
	for range variants {
		errs = append(errs, (<-results).err)
	}
	return errs
}

// runWithTimeout runs t but gives up waiting after d.
func (s *Scheduler) runWithTimeout(ctx context.Context, t task.Task, d time.Duration) (task.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan outcome)
	spawn(func() {
		res, err := t.Run(ctx, s.env(t.ID()))
		done <- outcome{id: t.ID(), res: res, err: err} // HAZ goroutine-blocked-send
	})
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		return task.Result{}, fmt.Errorf("sched: %s: %w", t.ID(), ctx.Err())
	}
}

// runDetached is runWithTimeout for tasks whose result may arrive after the
// caller has stopped waiting; the buffered channel lets the worker finish.
func (s *Scheduler) runDetached(ctx context.Context, t task.Task, d time.Duration) (task.Result, error) {
	done := make(chan outcome, 1)
	spawn(func() {
		res, err := t.Run(context.WithoutCancel(ctx), s.env(t.ID()))
		done <- outcome{id: t.ID(), res: res, err: err}
	})
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-timer.C:
		return task.Result{}, fmt.Errorf("sched: %s still running after %s", t.ID(), d)
	}
}

// Prepare creates the work directories of the given tasks in parallel.
func (s *Scheduler) Prepare(ctx context.Context, ids []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		spawn(func() {
			t, ok := s.graph.Task(id)
			if !ok {
				errs[i] = fmt.Errorf("sched: unknown task %q", id)
				return
			}
			errs[i] = s.prepareWorkdir(ctx, t)
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Clean removes the outputs of the given tasks in parallel.
func (s *Scheduler) Clean(ids []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		spawn(func() {
			defer wg.Done()
			t, ok := s.graph.Task(id)
			if !ok {
				return
			}
			if sh, ok := t.(*task.Shell); ok {
				for _, out := range sh.Outputs {
					if err := os.Remove(filepath.Join(s.workDir, out)); err != nil && !errors.Is(err, os.ErrNotExist) {
						errs[i] = errors.Join(errs[i], err)
					}
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (s *Scheduler) prepareWorkdir(ctx context.Context, t task.Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.MkdirAll(filepath.Join(s.workDir, t.ID()), 0o755)
}

// lockOutputs takes an exclusive lock file for a task's outputs and returns
// the function that releases it.
func (s *Scheduler) lockOutputs(id string) (func(), error) {
	path := filepath.Join(s.outDir, id+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sched: outputs of %s are locked: %w", id, err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() {
		f.Close()
		os.Remove(path)
	}, nil
}

// serveQueue is the body of a remote-execution worker: it runs jobs until
// the queue is closed or ctx is done.
func (s *Scheduler) serveQueue(ctx context.Context, jobs <-chan string, out chan<- outcome) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case id, ok := <-jobs:
			if !ok {
				return nil
			}
			release, err := s.lockOutputs(id)
			if err != nil {
				out <- outcome{id: id, err: err}
				continue
			}
			defer release() // HAZ defer-in-loop
			res, err := s.runNode(ctx, id)
			out <- outcome{id: id, res: res, err: err}
		}
	}
}

// serveQueueScoped is serveQueue with each job's lock scoped to the job.
func (s *Scheduler) serveQueueScoped(ctx context.Context, jobs <-chan string, out chan<- outcome) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case id, ok := <-jobs:
			if !ok {
				return nil
			}
			o := func() outcome {
				release, err := s.lockOutputs(id)
				if err != nil {
					return outcome{id: id, err: err}
				}
				defer release()
				res, err := s.runNode(ctx, id)
				return outcome{id: id, res: res, err: err}
			}()
			out <- o
		}
	}
}

// beginRenewal flags the running tasks as being renewed and returns the
// function that clears the flag.
func (s *Scheduler) beginRenewal() (ids []string, done func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, st := range s.status {
		if st == Running {
			ids = append(ids, id)
		}
	}
	s.renewing.Store(true)
	return ids, func() { s.renewing.Store(false) }
}

func (s *Scheduler) touch(id string) error {
	now := time.Now()
	return os.Chtimes(filepath.Join(s.outDir, id+".lock"), now, now)
}

// watchLeases refreshes the output locks of running tasks so that other
// runners can tell live locks from stale ones.
func (s *Scheduler) watchLeases(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			s.logf("lease watcher: %v", ctx.Err())
			break
		case <-tick.C:
			ids, done := s.beginRenewal()
			defer done() // HAZ defer-in-infinite-loop
			for _, id := range ids {
				if err := s.touch(id); err != nil {
					s.logf("lease %s: %v", id, err)
				}
			}
		}
	}
}

// pump copies events to w until ctx is done or in is closed.
func (s *Scheduler) pump(ctx context.Context, in <-chan Event, w io.Writer) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-in:
			if !ok {
				return
			}
			func() {
				s.mu.Lock()
				defer s.mu.Unlock()
				fmt.Fprintf(w, "%s %s attempt=%d err=%v completed=%d\n",
					ev.At.Format(time.RFC3339), ev.Task, ev.Attempt, ev.Err, s.completed)
			}()
		}
	}
}

// Validate checks that every dependency resolves.
func (s *Scheduler) Validate() error {
	defer s.tracer.Begin("validate") // HAZ defer-func-result-not-called
	for _, id := range s.graph.Order() {
		t, _ := s.graph.Task(id)
		for _, d := range t.Deps() {
			if _, ok := s.graph.Task(d); !ok {
				return fmt.Errorf("sched: %s needs missing %s", id, d)
			}
		}
	}
	return nil
}

// Plan returns the ids that a Run would execute, skipping finished tasks.
func (s *Scheduler) Plan() []string {
	begin := s.tracer.Begin
	defer begin("plan") // HAZ defer-func-result-not-called
	var plan []string
	for _, id := range s.graph.Order() {
		if st := s.Status(id); st != Done {
			plan = append(plan, id)
		}
	}
	return plan
}

// DryRun prints the plan, traced as its own phase.
func (s *Scheduler) DryRun(w io.Writer) error {
	end := s.tracer.Begin("dry-run")
	defer end()
	for i, id := range s.Plan() {
		if _, err := fmt.Fprintf(w, "%3d %s\n", i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// RunAndReport runs the graph and prints the trace summary at the end.
func (s *Scheduler) RunAndReport(ctx context.Context, w io.Writer) error {
	defer s.tracer.Summary(w).Publish() // HAZ defer-call-chain
	return s.Run(ctx)
}

// RunAndPrint runs the graph and prints every span at the end.
func (s *Scheduler) RunAndPrint(ctx context.Context, w io.Writer) error {
	defer func() { _, _ = s.tracer.WriteTo(w) }()
	return s.Run(ctx)
}

// Execute runs a single task outside the graph walk and publishes its
// completion.
func (s *Scheduler) Execute(ctx context.Context, id string) (res task.Result, err error) {
	defer s.emitDone(Event{Task: id, Err: err}) // HAZ defer-eager-evaluation
	t, ok := s.graph.Task(id)
	if !ok {
		return res, fmt.Errorf("sched: unknown task %q", id)
	}
	res, err = t.Run(ctx, s.env(id))
	return res, err
}

// ExecuteLogged runs a single task and logs how long it took.
func (s *Scheduler) ExecuteLogged(ctx context.Context, id string) (res task.Result, err error) {
	start := time.Now()
	defer func() {
		s.logf("%s finished in %s (err=%v)", id, time.Since(start), err)
	}()
	defer s.logf("%s: ran with %d workers configured", id, s.workers)
	t, ok := s.graph.Task(id)
	if !ok {
		return res, fmt.Errorf("sched: unknown task %q", id)
	}
	return t.Run(ctx, s.env(id))
}
