package worker

import (
	"context"
	"log"
	"sync"
	"time"

	"example.com/up15/internal/guard"
)

// Event is what hooks are told about.
type Event struct {
	Name string
	Key  string
	At   time.Time
}

// Hook is a best-effort observer.
type Hook func(Event)

// Job is a periodic unit of work.
type Job interface {
	Name() string
	Run(ctx context.Context) error
}

// Scheduler fires hooks and runs periodic jobs.
type Scheduler struct {
	mu    sync.Mutex
	hooks map[string][]Hook
	log   *log.Logger
}

// NewScheduler returns an empty scheduler.
func NewScheduler(lg *log.Logger) *Scheduler {
	return &Scheduler{hooks: make(map[string][]Hook), log: lg}
}

// On registers h for events named name.
func (s *Scheduler) On(name string, h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[name] = append(s.hooks[name], h)
}

// Fire calls every hook registered for ev.Name.
func (s *Scheduler) Fire(ev Event) {
	s.mu.Lock()
	hooks := append([]Hook(nil), s.hooks[ev.Name]...)
	s.mu.Unlock()
	for _, h := range hooks {
		s.runHook(h, ev)
	}
}

func (s *Scheduler) runHook(h Hook, ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// hooks are best-effort
		}
	}()
	h(ev)
}

// FireAsync calls every hook for ev on its own goroutine.
func (s *Scheduler) FireAsync(ev Event) {
	s.mu.Lock()
	hooks := append([]Hook(nil), s.hooks[ev.Name]...)
	s.mu.Unlock()
	for _, h := range hooks {
		go func(h Hook) {
			defer recover() // HAZ recover-ineffective
			h(ev)
		}(h)
	}
}

// FireLogged calls the hooks for ev one after the other, logging a panic.
func (s *Scheduler) FireLogged(ev Event) {
	s.mu.Lock()
	hooks := append([]Hook(nil), s.hooks[ev.Name]...)
	s.mu.Unlock()
	for _, h := range hooks {
		s.fireLogged(h, ev)
	}
}

func (s *Scheduler) fireLogged(h Hook, ev Event) {
	defer s.log.Printf("hook for %s: recovered: %v", ev.Name, recover()) // HAZ recover-ineffective
	h(ev)
}

// FireGuarded is FireAsync whose goroutines defer the shared recover
// helper directly.
func (s *Scheduler) FireGuarded(ev Event) {
	s.mu.Lock()
	hooks := append([]Hook(nil), s.hooks[ev.Name]...)
	s.mu.Unlock()
	for _, h := range hooks {
		go func(h Hook) {
			defer guard.Recover(s.log, "hook "+ev.Name)
			h(ev)
		}(h)
	}
}

// runJob runs j, converting a panic into its error.
func (s *Scheduler) runJob(ctx context.Context, j Job) (err error) {
	defer guard.Capture(&err)
	return j.Run(ctx)
}

// Every runs j every d until ctx is cancelled.
func (s *Scheduler) Every(ctx context.Context, d time.Duration, j Job) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.runJob(ctx, j); err != nil {
				s.log.Printf("job %s: %v", j.Name(), err)
			}
		}
	}
}
