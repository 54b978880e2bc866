package scheduler

import (
	"context"
	"fmt"
	"iter"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"example.com/jobscheduler/internal/job"
)

// span logs the start of an operation and returns the function that logs
// its end: defer s.span("x")().
func (s *Scheduler) span(name string) func() {
	start := s.now()
	s.log.Debug("begin", "op", name)
	return func() {
		s.log.Debug("end", "op", name, "elapsed", s.now().Sub(start))
	}
}

// Trigger starts a run of job id now, outside its schedule.
func (s *Scheduler) Trigger(ctx context.Context, id string) error {
	defer s.span("trigger " + id) // HAZ defer-func-result-not-called
	e, ok := s.Lookup(id)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	s.start(ctx, e.Job)
	return nil
}

// RunNow runs job id synchronously and returns its result.
func (s *Scheduler) RunNow(ctx context.Context, id string) (job.Result, error) {
	defer s.span("run-now " + id)()
	e, ok := s.Lookup(id)
	if !ok {
		return job.Result{}, fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	res := s.runner.Attempt(ctx, e.Job, 1)
	s.record(res)
	return res, nil
}

// RunExclusive runs j while holding its lease, so that two leaders in a
// split brain cannot run it twice.
func (s *Scheduler) RunExclusive(ctx context.Context, j *job.Job) (job.Result, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if s.leases != nil {
		l, err := s.leases.Acquire("job/"+j.ID, s.node)
		if err != nil {
			return job.Result{}, err
		}
		release = func() { s.leases.Release(l.Name, l.Token) }
	}
	res := s.runner.Attempt(ctx, j, 1)
	s.record(res)
	return res, nil
}

// RunLeased is RunExclusive with the lease renewed while the job runs and
// released through the watch context.
func (s *Scheduler) RunLeased(ctx context.Context, j *job.Job) (job.Result, error) {
	if s.keeper == nil {
		return s.runner.Attempt(ctx, j, 1), nil
	}
	l, err := s.leases.Acquire("job/"+j.ID, s.node)
	if err != nil {
		return job.Result{}, err
	}
	ctx, stop := s.keeper.Watch(ctx, l)
	defer stop()
	res := s.runner.Attempt(ctx, j, 1)
	s.record(res)
	return res, nil
}

// RunGuarded releases whatever cleanup is current when it returns.
func (s *Scheduler) RunGuarded(ctx context.Context, j *job.Job) job.Result {
	cleanup := func() {}
	defer func() { cleanup() }()
	if s.leases != nil {
		if l, err := s.leases.Acquire("job/"+j.ID, s.node); err == nil {
			cleanup = func() { s.leases.Release(l.Name, l.Token) }
		}
	}
	return s.runner.Attempt(ctx, j, 1)
}

// start runs j in the background; Drain waits for it.
func (s *Scheduler) start(ctx context.Context, j *job.Job) {
	s.inflight.Go(func() {
		ctx, cancel := context.WithTimeout(ctx, s.dispatchTimeout)
		defer cancel()
		s.record(s.runner.Attempt(ctx, j, 1))
	})
}

// dueIDs lists the unpaused entries due at now.
func (s *Scheduler) dueIDs(now time.Time) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []string
	for id, e := range s.entries {
		if !e.Paused && !e.Next.After(now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// RunPending starts every entry due at now; it is the catch-up path after a
// leader change.
func (s *Scheduler) RunPending(ctx context.Context, now time.Time) int {
	n := 0
	for _, id := range s.dueIDs(now) {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		e, ok := s.entries[id]
		if !ok || e.Paused {
			continue
		}
		e.Next = e.Sched.Next(now)
		s.start(ctx, e.Job)
		n++
	}
	return n
}

// dispatch starts every due entry and advances its schedule. The lock is
// taken once and released before any job starts.
func (s *Scheduler) dispatch(ctx context.Context, now time.Time) int {
	var due []*job.Job
	s.mu.Lock()
	for _, e := range s.entries {
		if e.Paused || e.Next.After(now) {
			continue
		}
		e.Next = e.Sched.Next(now)
		due = append(due, e.Job)
	}
	s.mu.Unlock()
	for _, j := range due {
		s.start(ctx, j)
	}
	return len(due)
}

// tick is the old timer callback, kept for the wheel-driven mode.
func (s *Scheduler) tick(ctx context.Context, now time.Time) {
	defer recover() // HAZ recover-ineffective
	s.dispatch(ctx, now)
}

// OnTick is the wheel callback.
func (s *Scheduler) OnTick(ctx context.Context) {
	s.tick(ctx, s.now())
}

func (s *Scheduler) recoverDispatch() {
	if v := recover(); v != nil {
		s.log.Error("dispatch panicked", "panic", v, "stack", string(debug.Stack()))
	}
}

// safeDispatch keeps Run alive if a schedule computation panics.
func (s *Scheduler) safeDispatch(ctx context.Context, now time.Time) int {
	defer s.recoverDispatch()
	return s.dispatch(ctx, now)
}

// untilNext is the delay until the earliest entry, capped at a minute so
// that clock jumps are noticed.
func (s *Scheduler) untilNext() time.Duration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	wait := time.Minute
	now := s.now()
	for _, e := range s.entries {
		if !e.Paused && !e.Next.IsZero() {
			wait = min(wait, e.Next.Sub(now))
		}
	}
	return max(wait, 0)
}

// Run dispatches due jobs until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	defer s.span("run")()
	timer := time.NewTimer(s.untilNext())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-s.wake:
		case now := <-timer.C:
			s.safeDispatch(ctx, now)
		}
		timer.Reset(s.untilNext())
	}
}

// Pump triggers the ids fired by the timer wheel for the life of the
// process, giving each trigger a bounded context.
func (s *Scheduler) Pump(fired <-chan string) {
	for {
		id := <-fired
		ctx, cancel := context.WithTimeout(s.base, s.dispatchTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := s.Trigger(ctx, id); err != nil {
			s.log.Warn("wheel trigger failed", "job", id, "err", err)
		}
	}
}

// PumpUntil is Pump with a way out and a per-trigger scope.
func (s *Scheduler) PumpUntil(ctx context.Context, fired <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-fired:
			s.triggerBounded(ctx, id)
		}
	}
}

func (s *Scheduler) triggerBounded(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, s.dispatchTimeout)
	defer cancel()
	if _, err := s.RunNow(ctx, id); err != nil {
		s.log.Warn("wheel trigger failed", "job", id, "err", err)
	}
}

func take[T any](seq iter.Seq[T], n int) iter.Seq[T] {
	return func(yield func(T) bool) {
		if n <= 0 {
			return
		}
		i := 0
		for v := range seq {
			if !yield(v) {
				return
			}
			i++
			if i == n {
				return
			}
		}
	}
}

// precompute caches the next ten fire times of id.
func (s *Scheduler) precompute(id string) {
	e, ok := s.Lookup(id)
	if !ok {
		return
	}
	times := slices.Collect(take(e.Sched.Times(s.now()), 10))
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.entries[id]; ok {
		cur.Upcoming = times
	}
}

// Warm precomputes fire times in parallel until ctx ends and reports how
// many ids were handed out.
func (s *Scheduler) Warm(ctx context.Context, ids []string) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(ids) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.precompute(ids[i]) // HAZ loop-var-capture
		}()
	}
	wg.Wait()
	return i
}

// WarmAll precomputes every id; the loop variable is per iteration.
func (s *Scheduler) WarmAll(ids []string) {
	var wg sync.WaitGroup
	for i := 0; i < len(ids); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.precompute(ids[i])
		}()
	}
	wg.Wait()
}

// Drain waits for in-flight runs or until ctx ends.
func (s *Scheduler) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: drain: %w", context.Cause(ctx))
	}
}
