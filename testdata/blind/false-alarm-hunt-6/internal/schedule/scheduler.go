package schedule

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Job is a scheduled unit of work.
type Job struct {
	Name string
	Spec Spec
	Run  func(ctx context.Context) error
}

// RunRecord is the outcome of one job run.
type RunRecord struct {
	Job      string
	Started  time.Time
	Duration time.Duration
	Err      error
}

// Scheduler runs jobs at their next activation time.
type Scheduler struct {
	mu      sync.Mutex
	jobs    map[string]*Job
	next    map[string]time.Time
	history []RunRecord
	running sync.WaitGroup
	logger  *log.Logger
	now     func() time.Time
}

// New returns an empty scheduler.
func New(logger *log.Logger) *Scheduler {
	return &Scheduler{
		jobs:   make(map[string]*Job),
		next:   make(map[string]time.Time),
		logger: logger,
		now:    time.Now,
	}
}

// Add registers a job; names must be unique.
func (s *Scheduler) Add(j *Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[j.Name]; dup {
		return fmt.Errorf("schedule: duplicate job %q", j.Name)
	}
	s.jobs[j.Name] = j
	s.next[j.Name] = j.Spec.Next(s.now())
	return nil
}

// Remove unregisters a job.
func (s *Scheduler) Remove(name string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.jobs[name]; !ok {
		return fmt.Errorf("schedule: no job %q", name)
	}
	delete(s.jobs, name)
	delete(s.next, name)
	s.mu.Unlock()
	return nil
}

// Names lists the registered jobs in order.
func (s *Scheduler) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.jobs))
	for n := range s.jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// due returns the jobs whose activation time has passed and advances them.
// The lock is released explicitly on the single exit path.
func (s *Scheduler) due(now time.Time) []*Job {
	s.mu.Lock()
	var out []*Job
	for name, at := range s.next {
		if !at.After(now) {
			out = append(out, s.jobs[name])
			s.next[name] = s.jobs[name].Spec.Next(now)
		}
	}
	s.mu.Unlock()
	return out
}

// NextWake returns the earliest next activation.
func (s *Scheduler) NextWake() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first time.Time
	for _, at := range s.next {
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	return first, !first.IsZero()
}

func (s *Scheduler) record(r RunRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.history = append(s.history, r)
	if len(s.history) > 1000 {
		s.history = s.history[len(s.history)-1000:]
	}
}

// History returns a copy of the recent run records.
func (s *Scheduler) History() []RunRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RunRecord(nil), s.history...)
}

// logPanic is deferred directly by each job goroutine; recover is therefore
// called directly by the deferred function.
func logPanic(logger *log.Logger, job string) {
	if r := recover(); r != nil {
		logger.Printf("schedule: job %s panicked: %v", job, r)
	}
}

// start launches one run of j. The goroutine carries its own recover.
func (s *Scheduler) start(ctx context.Context, j *Job) {
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer logPanic(s.logger, j.Name)
		begin := s.now()
		err := j.Run(ctx)
		s.record(RunRecord{Job: j.Name, Started: begin, Duration: time.Since(begin), Err: err})
	}()
}

// Loop runs the scheduler until ctx is cancelled, then waits for running
// jobs to finish.
func (s *Scheduler) Loop(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.running.Wait()
			return ctx.Err()
		case now := <-t.C:
			for _, j := range s.due(now) {
				s.start(ctx, j)
			}
		}
	}
}

// RunNow runs a job synchronously, converting a panic into an error.
func (s *Scheduler) RunNow(ctx context.Context, name string) (err error) {
	s.mu.Lock()
	j, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("schedule: no job %q", name)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule: job %s panicked: %v", name, r)
		}
	}()
	return j.Run(ctx)
}

// publish pushes run statistics to the metrics endpoint.
func (s *Scheduler) publish(r RunRecord) {
	stats := map[string]float64{"duration_seconds": r.Duration.Seconds()}
	if r.Err != nil {
		stats["failed"] = 1
	}
	s.logger.Printf("schedule: %s %v", r.Job, stats)
}

// runSafely runs a job on the caller's goroutine, logging instead of
// crashing on panic, and publishes statistics in the background.
func (s *Scheduler) runSafely(ctx context.Context, j *Job) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Printf("schedule: job %s panicked: %v", j.Name, r)
		}
	}()
	begin := s.now()
	err := j.Run(ctx)
	rec := RunRecord{Job: j.Name, Started: begin, Duration: time.Since(begin), Err: err}
	s.record(rec)
	go s.publish(rec) // HAZ goroutine-outside-recover
}

// Catchup runs every job once in sequence, e.g. after the host was asleep.
func (s *Scheduler) Catchup(ctx context.Context) {
	for _, name := range s.Names() {
		s.mu.Lock()
		j := s.jobs[name]
		s.mu.Unlock()
		if j != nil {
			s.runSafely(ctx, j)
		}
	}
}

// ErrStopped is returned by Wait when the scheduler was stopped.
var ErrStopped = errors.New("schedule: stopped")

// WaitIdle waits until no job is running or ctx expires. The waiting
// goroutine closes its own channel, and the select leaves on ctx.
func (s *Scheduler) WaitIdle(ctx context.Context) error {
	idle := make(chan struct{})
	go func() {
		defer close(idle)
		s.running.Wait()
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ErrStopped
	}
}
