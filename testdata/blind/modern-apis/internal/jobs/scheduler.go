package jobs

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"example.com/modernapis/internal/safe"
	"example.com/modernapis/internal/trace"
)

// Entry is a recurring job.
type Entry struct {
	Name  string
	Every time.Duration
	Make  func(now time.Time) *Job
	next  time.Time
}

// Scheduler pushes recurring jobs into a queue.
type Scheduler struct {
	mu      sync.Mutex
	entries []*Entry
	q       *Queue
	now     func() time.Time
	wg      sync.WaitGroup
}

// NewScheduler returns a scheduler feeding q.
func NewScheduler(q *Queue) *Scheduler {
	return &Scheduler{q: q, now: time.Now}
}

// Add registers e, first due one period from now.
func (s *Scheduler) Add(e *Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.next = s.now().Add(e.Every)
	s.entries = append(s.entries, e)
}

// Remove unregisters the entry called name.
func (s *Scheduler) Remove(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := len(s.entries)
	s.entries = slices.DeleteFunc(s.entries, func(e *Entry) bool { return e.Name == name })
	return len(s.entries) != before
}

// due returns the entries due at now and advances them; s.mu must be held.
func (s *Scheduler) dueLocked(now time.Time) []*Entry {
	var out []*Entry
	for _, e := range s.entries {
		if !now.Before(e.next) {
			out = append(out, e)
			e.next = now.Add(e.Every)
		}
	}
	return out
}

// Tick pushes every due job.
func (s *Scheduler) Tick() int {
	defer trace.Region("scheduler.tick") // HAZ defer-func-result-not-called
	now := s.now()
	s.mu.Lock()
	due := s.dueLocked(now)
	s.mu.Unlock()
	for _, e := range due {
		s.q.Push(e.Make(now))
	}
	return len(due)
}

// TickTraced is Tick with the region closed properly.
func (s *Scheduler) TickTraced() int {
	defer trace.Region("scheduler.tick")()
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	due := s.dueLocked(now)
	for _, e := range due {
		s.q.Push(e.Make(now))
	}
	return len(due)
}

// NextDue reports when the next entry is due.
func (s *Scheduler) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) == 0 {
		return time.Time{}, false
	}
	next := s.entries[0].next
	for _, e := range s.entries[1:] {
		if e.next.Before(next) {
			next = e.next
		}
	}
	return next, true
}

// Run ticks every interval until ctx ends. The ticking goroutine recovers
// its own panics through safe.Go, and Run waits for it.
func (s *Scheduler) Run(ctx context.Context, interval time.Duration) (err error) {
	defer safe.Recover(&err)
	var perr error
	safe.Go(&s.wg, func(e error) { perr = e }, func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.TickTraced()
			}
		}
	})
	s.wg.Wait()
	return errors.Join(perr, context.Cause(ctx))
}

// RunAfter runs a single tick after d unless ctx ends first; the timer is
// stopped on return.
func (s *Scheduler) RunAfter(ctx context.Context, d time.Duration) bool {
	fired := make(chan struct{}, 1)
	t := time.AfterFunc(d, func() {
		s.TickTraced()
		fired <- struct{}{}
	})
	defer t.Stop()
	select {
	case <-fired:
		return true
	case <-ctx.Done():
		return false
	}
}

// Snapshot returns copies of the registered entries.
func (s *Scheduler) Snapshot() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, len(s.entries))
	for i, e := range s.entries {
		out[i] = *e
	}
	return out
}
