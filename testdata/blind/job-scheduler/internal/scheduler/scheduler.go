// Package scheduler keeps the job table, computes fire times and hands due
// jobs to the runner.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"example.com/jobscheduler/internal/cron"
	"example.com/jobscheduler/internal/history"
	"example.com/jobscheduler/internal/job"
	"example.com/jobscheduler/internal/lease"
	"example.com/jobscheduler/internal/runner"
)

// ErrUnknownJob is returned for ids that are not in the table.
var ErrUnknownJob = errors.New("scheduler: unknown job")

// Entry is a job with its schedule state.
type Entry struct {
	Job      *job.Job
	Sched    *cron.Schedule
	Next     time.Time
	Paused   bool
	Last     *job.Result
	Upcoming []time.Time
}

// Event is published on every state change.
type Event struct {
	Kind   string      `json:"kind"`
	JobID  string      `json:"job_id"`
	At     time.Time   `json:"at"`
	Result *job.Result `json:"result,omitempty"`
}

// Config wires a scheduler.
type Config struct {
	Node            string
	Runner          *runner.Runner
	History         *history.Store
	Leases          *lease.Manager
	Log             *slog.Logger
	DispatchTimeout time.Duration
	EventBuffer     int
}

// Scheduler is safe for concurrent use.
type Scheduler struct {
	node            string
	runner          *runner.Runner
	hist            *history.Store
	leases          *lease.Manager
	keeper          *lease.Keeper
	log             *slog.Logger
	now             func() time.Time
	base            context.Context
	dispatchTimeout time.Duration

	mu      sync.RWMutex
	entries map[string]*Entry
	hooks   []func(Event)

	events   chan Event
	wake     chan struct{}
	dropped  atomic.Int64
	inflight sync.WaitGroup
}

// New returns a scheduler; base is the parent of every run's context.
func New(base context.Context, cfg Config) *Scheduler {
	s := &Scheduler{
		node:            cfg.Node,
		runner:          cfg.Runner,
		hist:            cfg.History,
		leases:          cfg.Leases,
		log:             cfg.Log,
		now:             time.Now,
		base:            base,
		dispatchTimeout: orDefault(cfg.DispatchTimeout, 10*time.Minute),
		entries:         make(map[string]*Entry),
		events:          make(chan Event, max(cfg.EventBuffer, 16)),
		wake:            make(chan struct{}, 1),
	}
	if s.leases != nil {
		s.keeper = lease.NewKeeper(s.leases, 0, s.log)
	}
	return s
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Add parses the job's schedule and adds it to the table.
func (s *Scheduler) Add(j *job.Job) error {
	if err := job.Validate(j); err != nil {
		return err
	}
	sched, err := cron.Parse(j.Spec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[j.ID]; ok {
		return fmt.Errorf("scheduler: duplicate job %q", j.ID)
	}
	s.entries[j.ID] = &Entry{Job: j, Sched: sched, Next: sched.Next(s.now())}
	s.poke()
	return nil
}

// AddAll adds every job and reports all failures together.
func (s *Scheduler) AddAll(jobs []*job.Job) error {
	var errs []error
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// poke wakes Run without blocking; it may be called with s.mu held.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Remove deletes job id.
func (s *Scheduler) Remove(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[id]; !ok {
		return fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	delete(s.entries, id)
	return nil
}

// Lookup returns a copy of the entry for id.
func (s *Scheduler) Lookup(id string) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[id]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Jobs lists the table ordered by next fire time.
func (s *Scheduler) Jobs(includePaused bool) []Entry {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		if e.Paused && !includePaused {
			continue
		}
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return a.Next.Compare(b.Next) })
	return out
}

func (s *Scheduler) snapshot() []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return a.Next.Compare(b.Next) })
	return out
}

// Entries yields a snapshot of the table; no lock is held while the
// consumer runs, so it may call back into the scheduler.
func (s *Scheduler) Entries() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, e := range s.snapshot() {
			if !yield(e) {
				return
			}
		}
	}
}

// Pause stops future runs of id until Resume.
func (s *Scheduler) Pause(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	e.Paused = true
	ev := Event{Kind: "paused", JobID: id, At: s.now()}
	defer s.publish(ev)
	return nil
}

// Resume re-enables id and recomputes its next fire time.
func (s *Scheduler) Resume(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	e.Paused = false
	e.Next = e.Sched.Next(s.now())
	s.poke()
	s.publish(Event{Kind: "resumed", JobID: id, At: s.now()})
	return nil
}

// publish never blocks: a full event buffer drops the event.
func (s *Scheduler) publish(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.dropped.Add(1)
	}
}

// Events is the stream of state changes.
func (s *Scheduler) Events() <-chan Event { return s.events }

// Dropped is the number of events lost to a full buffer.
func (s *Scheduler) Dropped() int64 { return s.dropped.Load() }

// Complete records a finished run and publishes it.
func (s *Scheduler) Complete(res job.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.events <- Event{Kind: "finished", JobID: res.JobID, At: res.Finished, Result: &res} }() // HAZ defer-blocking-call
	e, ok := s.entries[res.JobID]
	if !ok {
		return
	}
	e.Last = &res
}

// record stores res, updates the table and notifies hooks.
func (s *Scheduler) record(res job.Result) {
	if s.hist != nil {
		if err := s.hist.Append(res); err != nil {
			s.log.Warn("history append failed", "job", res.JobID, "err", err)
		}
	}
	s.Complete(res)
	s.notifyHooks(Event{Kind: "finished", JobID: res.JobID, At: res.Finished, Result: &res})
}
