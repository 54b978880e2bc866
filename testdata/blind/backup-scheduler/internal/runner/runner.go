// Package runner runs backup jobs: at most N at a time, one at a time per
// target, on their cron schedules.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"example.com/backupsched/internal/metrics"
	"example.com/backupsched/internal/schedule"
)

// Job is one unit of work on a target.
type Job struct {
	Name   string
	Target string
	Run    func(ctx context.Context) error
}

// Scheduled pairs a job with its schedule.
type Scheduled struct {
	Job   Job
	Sched *schedule.Schedule
}

// Status is the externally visible state of a job.
type Status struct {
	Job      string    `json:"job"`
	Target   string    `json:"target"`
	Running  bool      `json:"running"`
	Started  time.Time `json:"started,omitempty"`
	LastRun  time.Time `json:"last_run,omitempty"`
	LastErr  string    `json:"last_error,omitempty"`
	Runs     int       `json:"runs"`
	Failures int       `json:"failures"`
}

// Runner executes jobs.
type Runner struct {
	mu        sync.Mutex
	targets   map[string]*sync.Mutex
	state     map[string]*Status
	sem       chan struct{}
	wg        sync.WaitGroup
	metrics   *metrics.Registry
	log       *log.Logger
	notifyURL string
}

// New returns a runner that runs at most limit jobs at once. If notifyURL is
// set, RunAndNotify posts job results to it.
func New(limit int, reg *metrics.Registry, logger *log.Logger, notifyURL string) *Runner {
	return &Runner{
		targets:   make(map[string]*sync.Mutex),
		state:     make(map[string]*Status),
		sem:       make(chan struct{}, limit),
		metrics:   reg,
		log:       logger,
		notifyURL: notifyURL,
	}
}

// targetLock returns the mutex that serialises jobs on target.
func (r *Runner) targetLock(target string) *sync.Mutex {
	r.mu.Lock()
	defer r.mu.Unlock()
	mu, ok := r.targets[target]
	if !ok {
		mu = new(sync.Mutex)
		r.targets[target] = mu
	}
	return mu
}

// Register adds a job to the status table. Registering a job name twice is a
// programming error.
func (r *Runner) Register(j Job) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.state[j.Name]; dup {
		panic("runner: job " + j.Name + " registered twice")
	}
	r.state[j.Name] = &Status{Job: j.Name, Target: j.Target}
	r.mu.Unlock()
}

func (r *Runner) setRunning(j Job, running bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.state[j.Name]
	if !ok {
		st = &Status{Job: j.Name, Target: j.Target}
		r.state[j.Name] = st
	}
	st.Running = running
	if running {
		st.Started = time.Now()
		return
	}
	st.LastRun = time.Now()
	st.Runs++
	st.LastErr = ""
	if err != nil {
		st.Failures++
		st.LastErr = err.Error()
	}
}

// Status returns the state of every known job, sorted by name.
func (r *Runner) Status() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.state))
	for _, st := range r.state {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Job < out[k].Job })
	return out
}

// RunJob runs j under the concurrency limit and its target's lock. A panic in
// the job becomes its error.
func (r *Runner) RunJob(ctx context.Context, j Job) (err error) {
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-r.sem }()
	mu := r.targetLock(j.Target)
	mu.Lock()
	defer mu.Unlock()
	r.setRunning(j, true, nil)
	defer func() {
		if p := recover(); p != nil {
			r.log.Printf("job %s panicked: %v\n%s", j.Name, p, debug.Stack())
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
		r.setRunning(j, false, err)
	}()
	defer r.metrics.Timer("job_" + j.Name)()
	return j.Run(ctx)
}

// TryRun runs j only if no other job holds its target, and reports whether
// it ran.
func (r *Runner) TryRun(ctx context.Context, j Job) (bool, error) {
	mu := r.targetLock(j.Target)
	if !mu.TryLock() {
		return false, nil
	}
	defer mu.Unlock()
	r.setRunning(j, true, nil)
	err := j.Run(ctx)
	r.setRunning(j, false, err)
	return true, err
}

// LockTarget takes target's lock for an out-of-band operation such as a
// restore and returns the function that releases it.
func (r *Runner) LockTarget(target string) (unlock func()) {
	mu := r.targetLock(target)
	mu.Lock()
	return mu.Unlock
}

// RunAll runs jobs concurrently (within the runner's limit) and joins their errors.
func (r *Runner) RunAll(ctx context.Context, jobs []Job) error {
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.RunJob(ctx, j)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunSequential runs jobs one after another in the caller's goroutine
// (backupctl run --sequential, for small machines).
func (r *Runner) RunSequential(ctx context.Context, jobs []Job) error {
	for _, j := range jobs {
		mu := r.targetLock(j.Target)
		mu.Lock()
		defer mu.Unlock() // HAZ defer-in-loop
		r.setRunning(j, true, nil)
		err := j.Run(ctx)
		r.setRunning(j, false, err)
		if err != nil {
			return fmt.Errorf("%s: %w", j.Name, err)
		}
	}
	return nil
}

// Dispatch starts j in the background; Wait waits for all dispatched jobs.
func (r *Runner) Dispatch(ctx context.Context, j Job) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := r.RunJob(ctx, j); err != nil {
			r.log.Printf("job %s: %v", j.Name, err)
		}
	}()
}

// Wait waits for dispatched jobs until ctx is done.
func (r *Runner) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs still running: %w", ctx.Err())
	}
}

// Loop dispatches every scheduled job at its activation times until ctx is
// cancelled.
func (r *Runner) Loop(ctx context.Context, jobs []Scheduled, tick time.Duration) {
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	next := make([]time.Time, len(jobs))
	start := time.Now()
	for i, s := range jobs {
		next[i] = s.Sched.Next(start)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			for i, s := range jobs {
				if next[i].IsZero() || now.Before(next[i]) {
					continue
				}
				r.Dispatch(ctx, s.Job)
				next[i] = s.Sched.Next(now)
			}
		}
	}
}

// ConsumeTriggers runs the job named by each trigger (sent by the status API
// or a file watcher) for the lifetime of the process.
func (r *Runner) ConsumeTriggers(ctx context.Context, jobs map[string]Job, triggers <-chan string) {
	for {
		name := <-triggers
		j, ok := jobs[name]
		if !ok {
			r.log.Printf("trigger for unknown job %q", name)
			continue
		}
		mu := r.targetLock(j.Target)
		mu.Lock()
		defer mu.Unlock() // HAZ defer-in-infinite-loop
		r.setRunning(j, true, nil)
		err := j.Run(ctx)
		r.setRunning(j, false, err)
	}
}

// Busy reports whether target's lock is held right now.
func (r *Runner) Busy(target string) bool {
	mu := r.targetLock(target)
	if mu.TryLock() {
		mu.Unlock()
		return false
	}
	return true
}

// DetailedStatus is a job's status plus whether its target is busy
// (possibly with another job or a restore).
type DetailedStatus struct {
	Status
	TargetBusy bool `json:"target_busy"`
}

// StatusDetailed is Status with each job's target marked busy or idle.
func (r *Runner) StatusDetailed() []DetailedStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]DetailedStatus, 0, len(r.state))
	for _, st := range r.state {
		out = append(out, DetailedStatus{Status: *st, TargetBusy: r.Busy(st.Target)}) // HAZ lock-reentry-under-defer
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Job < out[k].Job })
	return out
}
