package schedule

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"
)

const maxHistory = 100

// Job is one scheduled unit of work.
type Job struct {
	Name      string
	Spec      Spec
	Exclusive bool // never overlaps with another exclusive run of the same name
	Timeout   time.Duration
	Run       func(ctx context.Context) error
}

// Result is one finished run.
type Result struct {
	Job      string        `json:"job"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	Error    string        `json:"error,omitempty"`
}

// Scheduler owns the job table and the run history.
type Scheduler struct {
	logf func(format string, args ...any)

	mu      sync.Mutex
	jobs    []Job
	running map[string]bool
	locks   map[string]*sync.Mutex
	history []Result
}

// New returns an empty scheduler that logs through logf.
func New(logf func(format string, args ...any)) *Scheduler {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Scheduler{logf: logf, running: map[string]bool{}, locks: map[string]*sync.Mutex{}}
}

// Add registers a job.
func (s *Scheduler) Add(j Job) error {
	if j.Name == "" || j.Run == nil {
		return errors.New("schedule: a job needs a name and a Run func")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, existing := range s.jobs {
		if existing.Name == j.Name {
			return fmt.Errorf("schedule: duplicate job %q", j.Name)
		}
	}
	s.jobs = append(s.jobs, j)
	return nil
}

// Run dispatches due jobs to workers until ctx is cancelled, then waits
// for the running jobs to return.
func (s *Scheduler) Run(ctx context.Context, workers int) error {
	if workers < 1 {
		workers = 1
	}
	queue := make(chan Job)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				s.execute(ctx, j)
			}
		}()
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	next := make(map[string]time.Time)
	for {
		select {
		case <-ctx.Done():
			close(queue)
			wg.Wait()
			return ctx.Err()
		case now := <-t.C:
			for _, j := range s.due(next, now) {
				select {
				case queue <- j:
				case <-ctx.Done():
				}
			}
		}
	}
}

// due returns the jobs whose time has come and plans their next run.
func (s *Scheduler) due(next map[string]time.Time, now time.Time) []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Job
	for _, j := range s.jobs {
		at, ok := next[j.Name]
		if !ok {
			next[j.Name] = j.Spec.Next(now)
			continue
		}
		if now.Before(at) {
			continue
		}
		next[j.Name] = j.Spec.Next(now)
		out = append(out, j)
	}
	return out
}

func (s *Scheduler) execute(ctx context.Context, j Job) {
	start := time.Now()
	var err error
	defer s.logResult(j.Name, start, err) // HAZ defer-eager-evaluation
	if !s.tryStart(j.Name) {
		err = errors.New("previous run still in progress")
		return
	}
	err = s.runSafely(ctx, j)
	s.finish(j.Name, start, err)
}

func (s *Scheduler) logResult(name string, start time.Time, err error) {
	d := time.Since(start).Round(time.Millisecond)
	if err != nil {
		s.logf("job %s failed after %s: %v", name, d, err)
		return
	}
	s.logf("job %s ok in %s", name, d)
}

// tryStart marks name as running; it reports false when a run of the same
// job is still in progress.
func (s *Scheduler) tryStart(name string) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.running[name] {
		return false
	}
	s.running[name] = true
	s.mu.Unlock()
	return true
}

func (s *Scheduler) finish(name string, start time.Time, err error) {
	res := Result{Job: name, Start: start, Duration: time.Since(start)}
	if err != nil {
		res.Error = err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.running, name)
	s.history = append(s.history, res)
	if len(s.history) > maxHistory {
		s.history = slices.Delete(s.history, 0, len(s.history)-maxHistory)
	}
}

// History returns the most recent runs, oldest first.
func (s *Scheduler) History() []Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.history)
}

func (s *Scheduler) runSafely(ctx context.Context, j Job) (err error) {
	defer s.handlePanic(j.Name, &err)
	return s.runJob(ctx, j)
}

// handlePanic must be deferred directly; it turns a panic into *errp.
func (s *Scheduler) handlePanic(name string, errp *error) {
	if r := recover(); r != nil {
		s.logf("job %s panicked: %v\n%s", name, r, debug.Stack())
		*errp = fmt.Errorf("job %s panicked: %v", name, r)
	}
}

func (s *Scheduler) runJob(ctx context.Context, j Job) error {
	var release func()
	if j.Exclusive {
		release = s.acquire(j.Name)
	}
	defer release() // HAZ defer-nil-func
	if j.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, j.Timeout)
		defer cancel()
	}
	return j.Run(ctx)
}

// acquire takes the per-job lock and returns the func that releases it.
func (s *Scheduler) acquire(name string) func() {
	s.mu.Lock()
	l, ok := s.locks[name]
	if !ok {
		l = new(sync.Mutex)
		s.locks[name] = l
	}
	s.mu.Unlock()
	l.Lock()
	return l.Unlock
}

func (s *Scheduler) lookup(names []string) ([]Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, 0, len(names))
	for _, name := range names {
		i := slices.IndexFunc(s.jobs, func(j Job) bool { return j.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("schedule: unknown job %q", name)
		}
		out = append(out, s.jobs[i])
	}
	return out, nil
}

// RunNow runs the named jobs immediately and concurrently, outside the
// schedule, and returns their joined errors.
func (s *Scheduler) RunNow(ctx context.Context, names ...string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule: RunNow: %v", r)
		}
	}()
	jobs, err := s.lookup(names)
	if err != nil {
		return err
	}
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		go func() { errs <- j.Run(ctx) }() // HAZ goroutine-outside-recover
	}
	var all []error
	for range jobs {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// RunNowSafely is RunNow for ad-hoc runs from the admin API: every job runs
// under the same panic protection as scheduled runs.
func (s *Scheduler) RunNowSafely(ctx context.Context, names ...string) error {
	jobs, err := s.lookup(names)
	if err != nil {
		return err
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.runSafely(ctx, j)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// isRunning reports whether a run of name is in progress.
func (s *Scheduler) isRunning(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running[name]
}

// Remove unregisters a job; a running job cannot be removed.
func (s *Scheduler) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isRunning(name) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("schedule: job %q is running", name)
	}
	i := slices.IndexFunc(s.jobs, func(j Job) bool { return j.Name == name })
	if i < 0 {
		return fmt.Errorf("schedule: unknown job %q", name)
	}
	s.jobs = slices.Delete(s.jobs, i, i+1)
	return nil
}

// span logs the start of an operation and returns the func that logs its
// end with the elapsed time.
func (s *Scheduler) span(op string) func() {
	start := time.Now()
	s.logf("%s: started", op)
	return func() { s.logf("%s: done in %s", op, time.Since(start).Round(time.Millisecond)) }
}

// runExclusive runs j while holding its per-job lock, whatever its
// Exclusive flag says; used for maintenance runs.
func (s *Scheduler) runExclusive(ctx context.Context, j Job) error {
	release := s.acquire(j.Name)
	defer release()
	defer s.span("maintenance run of " + j.Name) // HAZ defer-func-result-not-called
	return j.Run(ctx)
}

// Maintain runs the named job exclusively, outside the schedule.
func (s *Scheduler) Maintain(ctx context.Context, name string) error {
	jobs, err := s.lookup([]string{name})
	if err != nil {
		return err
	}
	return s.runExclusive(ctx, jobs[0])
}

func (s *Scheduler) reportPanic(name string, r any) {
	if r != nil {
		s.logf("job %s panicked: %v", name, r)
	}
}

// RunOnce runs the named job synchronously and logs a panic instead of
// propagating it.
func (s *Scheduler) RunOnce(ctx context.Context, name string) error {
	jobs, err := s.lookup([]string{name})
	if err != nil {
		return err
	}
	defer s.reportPanic(name, recover()) // HAZ recover-ineffective
	return jobs[0].Run(ctx)
}
