// Package scheduler runs backup jobs on cron-like schedules, one run of a job
// at a time, with timeouts, finish hooks and a run history.
package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Job is a scheduled unit of work.
type Job struct {
	Name    string
	Spec    Schedule
	Timeout time.Duration
	Run     func(ctx context.Context) error
}

// RunRecord is one entry of the run history.
type RunRecord struct {
	Job      string        `json:"job"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Err      string        `json:"error,omitempty"`
}

type entry struct {
	job  Job
	runs int
}

const maxHistory = 200

// Scheduler owns the registered jobs.
type Scheduler struct {
	mu       sync.Mutex
	jobs     map[string]*entry
	running  map[string]time.Time
	lastDone map[string]time.Time
	timeouts map[string]time.Duration
	hooks    map[string][]func()
	post     map[string]func()
	onRemove func(name string)
	history  []RunRecord
	log      *log.Logger
	wg       sync.WaitGroup
}

// New returns an empty scheduler.
func New(logger *log.Logger) *Scheduler {
	if logger == nil {
		logger = log.Default()
	}
	return &Scheduler{
		jobs:     make(map[string]*entry),
		running:  make(map[string]time.Time),
		lastDone: make(map[string]time.Time),
		timeouts: make(map[string]time.Duration),
		hooks:    make(map[string][]func()),
		post:     make(map[string]func()),
		log:      logger,
	}
}

// Add registers a job.
func (s *Scheduler) Add(j Job) error {
	if j.Name == "" || j.Spec == nil || j.Run == nil {
		return errors.New("scheduler: a job needs a name, a schedule and a run function")
	}
	if j.Timeout <= 0 {
		j.Timeout = 12 * time.Hour
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[j.Name]; ok {
		return fmt.Errorf("scheduler: duplicate job %q", j.Name)
	}
	s.jobs[j.Name] = &entry{job: j}
	return nil
}

// OnRemove sets a callback invoked when a job is removed.
func (s *Scheduler) OnRemove(fn func(name string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRemove = fn
}

// OnFinish adds a hook run after every run of the named job.
func (s *Scheduler) OnFinish(name string, fn func()) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if fn == nil {
		return
	}
	s.hooks[name] = append(s.hooks[name], fn)
	s.mu.Unlock()
}

// SetPostHook sets the cleanup run at the end of every run of the named job.
func (s *Scheduler) SetPostHook(name string, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.post[name] = fn
}

// Remove unregisters a job. The OnRemove callback runs without the scheduler
// lock held, so it may call back into the scheduler.
func (s *Scheduler) Remove(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[name]; !ok {
		return false
	}
	delete(s.jobs, name)
	delete(s.post, name)
	delete(s.timeouts, name)
	if cb := s.onRemove; cb != nil {
		s.unlocked(func() { cb(name) })
	}
	return true
}

// unlocked runs fn with s.mu released. s.mu must be held on entry; it is held
// again when unlocked returns, also if fn panics.
func (s *Scheduler) unlocked(fn func()) {
	s.mu.Unlock()
	defer s.mu.Lock()
	fn()
}

// Start launches one timer loop per job and the watchdog.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.jobs {
		s.wg.Add(1)
		go s.loop(ctx, e)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.watchdog(ctx, 6*time.Hour)
	}()
}

// Wait blocks until all loops started by Start have returned.
func (s *Scheduler) Wait() { s.wg.Wait() }

func (s *Scheduler) loop(ctx context.Context, e *entry) {
	defer s.wg.Done()
	for {
		next := e.job.Spec.Next(time.Now())
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case now := <-t.C:
			s.runOnce(ctx, e, now)
		}
	}
}

func (s *Scheduler) runOnce(ctx context.Context, e *entry, now time.Time) {
	name := e.job.Name
	if !s.tryStart(name, now) {
		s.log.Printf("scheduler: %s still running, skipping the %s run", name, now.Format(time.RFC3339))
		return
	}
	defer s.finish(name)
	defer s.handlePanic(name)

	jctx, cancel := context.WithTimeout(ctx, s.timeout(e))
	defer cancel()
	err := s.runJob(jctx, e)
	s.record(name, now, err)
}

func (s *Scheduler) tryStart(name string, now time.Time) bool {
	s.mu.Lock()
	if _, busy := s.running[name]; busy {
		s.mu.Unlock()
		return false
	}
	s.running[name] = now
	s.mu.Unlock()
	return true
}

func (s *Scheduler) finish(name string) {
	s.mu.Lock()
	delete(s.running, name)
	s.mu.Unlock()
	s.runHooks(name)
}

// handlePanic is deferred around every job run.
func (s *Scheduler) handlePanic(name string) {
	if r := recover(); r != nil {
		s.log.Printf("scheduler: job %s panicked: %v\n%s", name, r, debug.Stack())
		s.record(name, time.Now(), fmt.Errorf("panic: %v", r))
	}
}

func (s *Scheduler) timeout(e *entry) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.timeouts[e.job.Name]; ok {
		return d
	}
	return e.job.Timeout
}

func (s *Scheduler) runJob(ctx context.Context, e *entry) error {
	s.mu.Lock()
	post := s.post[e.job.Name]
	e.runs++
	s.mu.Unlock()
	defer post() // HAZ defer-nil-func
	return e.job.Run(ctx)
}

func (s *Scheduler) runHooks(name string) {
	s.mu.Lock()
	hooks := slices.Clone(s.hooks[name])
	s.mu.Unlock()
	for _, h := range hooks {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			h()
		}()
	}
}

func (s *Scheduler) record(name string, started time.Time, err error) {
	rec := RunRecord{Job: name, Started: started, Duration: time.Since(started)}
	if err != nil {
		rec.Err = err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.history = append(s.history, rec)
	if len(s.history) > maxHistory {
		s.history = s.history[len(s.history)-maxHistory:]
	}
}

// History returns the recent runs, oldest first.
func (s *Scheduler) History() []RunRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.history)
}

// ExportHistory appends the run history to path as JSON lines, for the log
// shipper.
func (s *Scheduler) ExportHistory(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, rec := range s.History() {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}

// Describe renders a job and its recent runs for `backupctl describe`.
func (s *Scheduler) Describe(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.jobs[name]
	if !ok {
		return "", fmt.Errorf("scheduler: no job %q", name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "job %s: %d runs, timeout %s\n", name, e.runs, e.job.Timeout)
	if t, ok := s.lastDone[name]; ok {
		fmt.Fprintf(&b, "last completed %s\n", t.Format(time.RFC3339))
	}
	for _, rec := range s.History() { // HAZ lock-reentry-under-defer
		if rec.Job == name {
			fmt.Fprintf(&b, "  %s  %-10s %s\n", rec.Started.Format(time.RFC3339), rec.Duration.Round(time.Second), rec.Err)
		}
	}
	return b.String(), nil
}

func (s *Scheduler) markCompleted(name string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastDone[name] = at
}

// RunSync runs a job in the caller's goroutine (`backupctl run -wait`) and
// records when it completed.
func (s *Scheduler) RunSync(ctx context.Context, name string) error {
	s.mu.Lock()
	e, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("scheduler: no job %q", name)
	}
	defer s.markCompleted(name, time.Now()) // HAZ defer-eager-evaluation
	return s.runJob(ctx, e)
}

// Running returns the names of the jobs currently running.
func (s *Scheduler) Running() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.running))
	for name := range s.running {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// RunNow starts a run of the named job immediately (status endpoint,
// `backupctl run`).
func (s *Scheduler) RunNow(ctx context.Context, name string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := s.jobs[name]
	if !ok {
		return fmt.Errorf("scheduler: no job %q", name)
	}
	s.mu.Unlock()
	go s.runOnce(ctx, e, time.Now())
	return nil
}

// SetTimeout overrides the timeout of a job.
func (s *Scheduler) SetTimeout(name string, d time.Duration) error {
	if d <= 0 {
		return errors.New("scheduler: timeout must be positive")
	}
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	if _, ok := s.jobs[name]; !ok {
		return fmt.Errorf("scheduler: no job %q", name)
	}
	s.timeouts[name] = d
	return nil
}

// Every runs fn every interval for the life of the process; used for
// housekeeping such as index checkpoints.
func (s *Scheduler) Every(ctx context.Context, d time.Duration, name string, fn func(context.Context) error) {
	tick := time.NewTicker(d)
	for range tick.C {
		jctx, cancel := context.WithTimeout(ctx, d)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := fn(jctx); err != nil {
			s.log.Printf("scheduler: %s: %v", name, err)
		}
	}
}

// watchdog logs jobs that have been running for longer than maxRun.
func (s *Scheduler) watchdog(ctx context.Context, maxRun time.Duration) {
	defer func() { logPanic(s.log, "scheduler watchdog") }()
	t := time.NewTicker(maxRun / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, name := range s.overdue(now, maxRun) {
				s.log.Printf("scheduler: %s has been running for more than %s", name, maxRun)
			}
		}
	}
}

func (s *Scheduler) overdue(now time.Time, maxRun time.Duration) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for name, started := range s.running {
		if now.Sub(started) > maxRun {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// logPanic reports a panic in a background goroutine.
func logPanic(l *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("%s: panic: %v\n%s", what, r, debug.Stack())
	}
}

func (s *Scheduler) entries() []*entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*entry, 0, len(s.jobs))
	for _, e := range s.jobs {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].job.Name < out[j].job.Name })
	return out
}

// RunAll runs every job once, concurrently, and waits for all of them
// (`backupd --once`). Each run recovers its own panics.
func (s *Scheduler) RunAll(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("scheduler: run all: %v", r)
		}
	}()
	entries := s.entries()
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.handlePanic(e.job.Name)
			jctx, cancel := context.WithTimeout(ctx, s.timeout(e))
			defer cancel()
			errs[i] = s.runJob(jctx, e)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
