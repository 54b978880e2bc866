// Package sched executes a task graph with a bounded pool of workers.
package sched

import (
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/unusualpos4/internal/task"
	"example.com/unusualpos4/internal/trace"
)

// Status is the lifecycle state of one task.
type Status int

// Task states.
const (
	Pending Status = iota
	Running
	Done
	Failed
)

func (s Status) String() string {
	switch s {
	case Pending:
		return "pending"
	case Running:
		return "running"
	case Done:
		return "done"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Event is published for retries and completions.
type Event struct {
	Task    string
	Attempt int
	Err     error
	At      time.Time
}

type outcome struct {
	id  string
	res task.Result
	err error
}

// statusSink receives status transitions. The scheduler is its own sink; the
// indirection lets the daemon mirror transitions elsewhere.
type statusSink interface {
	setStatus(id string, st Status)
}

// notifier is told when a task starts running.
type notifier interface {
	taskStarted(id string)
}

type logNotifier struct {
	logf func(format string, args ...any)
}

func (n logNotifier) taskStarted(id string) { n.logf("started %s", id) }

// Options configures a Scheduler.
type Options struct {
	Workers     int
	MaxAttempts int
	WorkDir     string
	OutDir      string
	Tracer      *trace.Tracer
	Logf        func(format string, args ...any)
	Events      chan Event
}

// Scheduler runs one graph.
type Scheduler struct {
	mu        sync.Mutex
	graph     *task.Graph
	status    map[string]Status
	started   map[string]time.Time
	results   map[string]task.Result
	failures  map[string]error
	completed int
	renewing  atomic.Bool

	sink     statusSink
	notifier notifier
	hooks    map[string]func(id string)
	warmer   func(ctx context.Context, id string)

	tracer      *trace.Tracer
	events      chan Event
	workers     int
	maxAttempts int
	workDir     string
	outDir      string
	logf        func(format string, args ...any)
}

// New prepares a scheduler for g.
func New(g *task.Graph, opts Options) *Scheduler {
	s := &Scheduler{
		graph:       g,
		status:      make(map[string]Status),
		started:     make(map[string]time.Time),
		results:     make(map[string]task.Result),
		failures:    make(map[string]error),
		hooks:       make(map[string]func(string)),
		tracer:      opts.Tracer,
		events:      opts.Events,
		workers:     opts.Workers,
		maxAttempts: opts.MaxAttempts,
		workDir:     opts.WorkDir,
		outDir:      opts.OutDir,
		logf:        opts.Logf,
	}
	if s.workers <= 0 {
		s.workers = runtime.NumCPU()
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = 1
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	if s.tracer == nil {
		s.tracer = trace.New()
	}
	for _, id := range g.Order() {
		s.status[id] = Pending
	}
	s.sink = s
	s.notifier = logNotifier{logf: s.logf}
	s.warmer = func(context.Context, string) {}
	return s
}

// OnPhase registers fn to run around a phase ("before-build", "after-build").
func (s *Scheduler) OnPhase(name string, fn func(id string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[name] = fn
}

func (s *Scheduler) hook(name string) func(string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hooks[name]
}

func (s *Scheduler) setStatus(id string, st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[id] = st
}

// Status reports the state of one task.
func (s *Scheduler) Status(id string) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status[id]
}

// Snapshot returns the state of every task.
func (s *Scheduler) Snapshot() map[string]Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.status)
}

// markRunning records the start time and tells the notifier.
func (s *Scheduler) markRunning(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[id] = Running
	s.started[id] = time.Now()
	s.notifier.taskStarted(id)
}

// markDone stores the result and moves the task to Done.
func (s *Scheduler) markDone(id string, res task.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[id] = res
	s.completed++
	s.sink.setStatus(id, Done) // HAZ lock-reentry-under-defer
}

// markFailed stores the error and moves the task to Failed.
func (s *Scheduler) markFailed(id string, err error) {
	s.mu.Lock()
	s.failures[id] = err
	s.mu.Unlock()
	s.sink.setStatus(id, Failed)
}

// Cancel marks a task that has not finished as failed with context.Canceled.
func (s *Scheduler) Cancel(id string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	st, ok := s.status[id]
	if !ok {
		return fmt.Errorf("sched: unknown task %q", id)
	}
	if st == Done || st == Failed {
		s.mu.Unlock()
		return fmt.Errorf("sched: %s already %v", id, st)
	}
	s.status[id] = Failed
	s.failures[id] = context.Canceled
	s.mu.Unlock()
	return nil
}

// Requeue resets a failed task so that the next Run picks it up again.
func (s *Scheduler) Requeue(id string) error {
	s.mu.Lock()
	st, ok := s.status[id]
	switch {
	case !ok:
		s.mu.Unlock()
		return fmt.Errorf("sched: unknown task %q", id)
	case st != Failed:
		s.mu.Unlock()
		return fmt.Errorf("sched: %s is %v, not failed", id, st)
	}
	delete(s.failures, id)
	s.status[id] = Pending
	s.mu.Unlock()
	s.logf("requeued %s", id)
	return nil
}

func (s *Scheduler) env(id string) *task.Env {
	return &task.Env{
		WorkDir: s.workDir,
		LogDir:  s.outDir,
		Logf: func(format string, args ...any) {
			s.logf(id+": "+format, args...)
		},
	}
}

// recoverNode turns a panic in a task into that task's error. It must be
// deferred directly.
func (s *Scheduler) recoverNode(id string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("sched: task %s panicked: %v", id, r)
		s.logf("%s", debug.Stack())
	}
}

// publish offers ev to the event channel without ever blocking the caller.
func (s *Scheduler) publish(ev Event) {
	if s.events == nil {
		return
	}
	select {
	case s.events <- ev:
	default:
	}
}

// emitDone publishes a completion event.
func (s *Scheduler) emitDone(ev Event) {
	ev.At = time.Now()
	s.publish(ev)
}

// Results returns the results recorded so far, written as one line per task.
func (s *Scheduler) Results(w io.Writer) error {
	s.mu.Lock()
	res := maps.Clone(s.results)
	s.mu.Unlock()
	for _, id := range s.graph.Order() {
		r, ok := res[id]
		if !ok {
			continue
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%d outputs\n", id, r.Duration, len(r.Outputs)); err != nil {
			return err
		}
	}
	return nil
}
