package cron

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Job is a periodic task.
type Job struct {
	Name    string
	Every   time.Duration
	Timeout time.Duration
	Fn      func(ctx context.Context) error
	// Lock, when set, names a lock held across every run of the job so that
	// only one replica runs it at a time.
	Lock string
	// Async jobs started by Trigger run in the background.
	Async bool
}

// Locker hands out named locks (file, lease, ...).
type Locker interface {
	Acquire(ctx context.Context, name string) (release func(), err error)
}

var errUnknownJob = errors.New("cron: unknown job")

// Scheduler runs jobs on fixed intervals.
type Scheduler struct {
	Log       *log.Logger
	Locks     Locker
	StatePath string

	mu       sync.RWMutex
	jobs     map[string]*Job
	lastRun  map[string]time.Time
	lastErr  map[string]error
	teardown map[string]func()
	notifier func(event string)
	running  bool
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	panics   atomic.Int64
}

func New(l *log.Logger, locks Locker, statePath string) *Scheduler {
	return &Scheduler{
		Log:       l,
		Locks:     locks,
		StatePath: statePath,
		jobs:      map[string]*Job{},
		lastRun:   map[string]time.Time{},
		lastErr:   map[string]error{},
		teardown:  map[string]func(){},
	}
}

// Add registers j; teardown, when non-nil, runs when the job is removed.
func (s *Scheduler) Add(j *Job, teardown func()) error {
	if j.Every <= 0 {
		return fmt.Errorf("cron: job %s: non-positive interval %s", j.Name, j.Every)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[j.Name]; dup {
		return fmt.Errorf("cron: job %s already registered", j.Name)
	}
	s.jobs[j.Name] = j
	if teardown != nil {
		s.teardown[j.Name] = teardown
	}
	return nil
}

func (s *Scheduler) job(name string) (*Job, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j, ok := s.jobs[name]
	return j, ok
}

// Names returns the registered job names, sorted.
func (s *Scheduler) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.namesLocked()
}

func (s *Scheduler) namesLocked() []string {
	names := make([]string, 0, len(s.jobs))
	for n := range s.jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Start launches one loop per job. The loops stop when ctx is done or Stop
// is called.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.running = true
	for _, j := range s.jobs {
		s.wg.Add(1)
		go s.loop(ctx, j)
	}
}

func (s *Scheduler) loop(ctx context.Context, j *Job) {
	defer s.wg.Done()
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.runJob(ctx, j)
		}
	}
}

// runJob runs j once under its timeout; a panic is logged and recorded.
func (s *Scheduler) runJob(ctx context.Context, j *Job) {
	defer s.recoverJob(j.Name) // ok: recoverJob calls recover directly
	ctx, cancel := context.WithTimeout(ctx, j.Timeout)
	defer cancel()
	start := time.Now()
	err := s.execute(ctx, j)
	s.record(j.Name, start, err)
}

func (s *Scheduler) recoverJob(name string) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.Log.Printf("cron: job %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

func (s *Scheduler) record(name string, start time.Time, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastRun[name] = start
	s.lastErr[name] = err
}

// execute runs j once, holding its lock when it has one.
func (s *Scheduler) execute(ctx context.Context, j *Job) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if j.Lock != "" {
		unlock, err := s.Locks.Acquire(ctx, j.Lock)
		if err != nil {
			return fmt.Errorf("cron: job %s: lock %s: %w", j.Name, j.Lock, err)
		}
		release = unlock
	}
	return j.Fn(ctx)
}

// executeLocked is the variant used by RunAll: the lock is released by a
// closure that reads release at exit.
func (s *Scheduler) executeLocked(ctx context.Context, j *Job) error {
	release := func() {}
	defer func() { release() }() // ok: reads the variable when the function returns
	if j.Lock != "" {
		unlock, err := s.Locks.Acquire(ctx, j.Lock)
		if err != nil {
			return err
		}
		release = unlock
	}
	return j.Fn(ctx)
}

// RunNow runs a job immediately, outside its schedule.
func (s *Scheduler) RunNow(ctx context.Context, name string) error {
	j, ok := s.job(name)
	if !ok {
		return fmt.Errorf("%w: %s", errUnknownJob, name)
	}
	start := time.Now()
	defer s.Log.Printf("cron: manual run of %s took %s", name, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return s.execute(ctx, j)
}

// RunTimed is RunNow that logs the real duration.
func (s *Scheduler) RunTimed(ctx context.Context, name string) (err error) {
	j, ok := s.job(name)
	if !ok {
		return fmt.Errorf("%w: %s", errUnknownJob, name)
	}
	start := time.Now()
	defer func() {
		s.Log.Printf("cron: manual run of %s took %s (err=%v)", name, time.Since(start), err) // ok: evaluated at exit
	}()
	return s.executeLocked(ctx, j)
}

// Trigger runs a job right away; async jobs run in the background.
func (s *Scheduler) Trigger(ctx context.Context, name string) {
	defer s.recoverJob(name)
	j, ok := s.job(name)
	if !ok {
		s.Log.Printf("cron: trigger: unknown job %s", name)
		return
	}
	if j.Async {
		go j.Fn(context.WithoutCancel(ctx)) // HAZ goroutine-outside-recover
		return
	}
	s.runJob(ctx, j)
}

// TriggerAsync starts the job in the background; the goroutine has its own
// recover.
func (s *Scheduler) TriggerAsync(ctx context.Context, name string) error {
	defer s.recoverJob(name)
	j, ok := s.job(name)
	if !ok {
		return fmt.Errorf("%w: %s", errUnknownJob, name)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.recoverJob(j.Name) // ok: the goroutine recovers for itself
		s.runJob(context.WithoutCancel(ctx), j)
	}()
	return nil
}

// Stop cancels the job loops and waits for running jobs, up to ctx's
// deadline.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return nil
	}
	s.running = false
	s.cancel()
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done) // ok: a close never blocks
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cron: stop: %w", ctx.Err())
	}
}

// Remove unschedules a job (its loop stops at the next restart) and runs its
// teardown hook.
func (s *Scheduler) Remove(name string) {
	s.mu.Lock()
	hook := s.teardown[name]
	delete(s.jobs, name)
	delete(s.teardown, name)
	s.mu.Unlock()
	defer hook() // HAZ defer-nil-func
	s.Log.Printf("cron: removed %s", name)
}

// RemoveAll unschedules every job and runs the teardown hooks that exist.
func (s *Scheduler) RemoveAll() {
	s.mu.Lock()
	hooks := s.teardown
	s.jobs = map[string]*Job{}
	s.teardown = map[string]func(){}
	s.mu.Unlock()
	for name, h := range hooks {
		if h == nil {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.Log.Printf("cron: teardown %s: %v", name, r)
				}
			}()
			h()
		}()
	}
}

// SetNotifier installs the hook told about job events.
func (s *Scheduler) SetNotifier(fn func(event string)) {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	s.notifier = fn
}

// notify sends a best-effort notification; a buggy notifier must not break
// the scheduler.
func (s *Scheduler) notify(event string) {
	s.mu.RLock()
	fn := s.notifier
	s.mu.RUnlock()
	if fn == nil {
		return
	}
	defer func() { recover() }() // HAZ recover-swallows-panic
	fn(event)
}

// Status returns a human-readable table of the jobs.
func (s *Scheduler) Status() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var b strings.Builder
	for _, name := range s.Names() { // HAZ lock-reentry-under-defer
		fmt.Fprintf(&b, "%-24s last=%s err=%v\n", name, s.lastRun[name].Format(time.RFC3339), s.lastErr[name])
	}
	return b.String()
}

// StatusLines is Status as a slice, built with the Locked helper.
func (s *Scheduler) StatusLines() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, name := range s.namesLocked() { // ok: namesLocked does not lock
		out = append(out, fmt.Sprintf("%s %s", name, s.lastRun[name].Format(time.RFC3339)))
	}
	return out
}

// runHooks runs shutdown hooks; one failing hook must not stop the others.
func (s *Scheduler) runHooks(hooks []func()) {
	for _, h := range hooks {
		func() {
			defer recover() // HAZ recover-ineffective
			h()
		}()
	}
}

// Shutdown stops the scheduler, runs the teardown hooks and removes the
// "running" marker that the supervisor watches.
func (s *Scheduler) Shutdown(ctx context.Context) error {
	defer func() error { return os.Remove(s.StatePath + ".running") }() // HAZ defer-ineffective-return
	err := s.Stop(ctx)
	s.mu.RLock()
	hooks := make([]func(), 0, len(s.teardown))
	for _, h := range s.teardown {
		if h != nil {
			hooks = append(hooks, h)
		}
	}
	s.mu.RUnlock()
	s.runHooks(hooks)
	s.notify("shutdown")
	return err
}

// Close stops the scheduler and saves its state.
func (s *Scheduler) Close(ctx context.Context) (err error) {
	defer func() {
		if rerr := os.Remove(s.StatePath + ".running"); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr) // ok: err is the named result
		}
	}()
	err = s.Stop(ctx)
	return errors.Join(err, s.saveState())
}
