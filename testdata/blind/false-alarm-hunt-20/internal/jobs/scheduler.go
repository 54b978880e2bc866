package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// Task runs every Every.
type Task struct {
	Name  string
	Every time.Duration
	Fn    func(ctx context.Context) error
}

// Scheduler runs periodic tasks, one goroutine per task.
type Scheduler struct {
	tasks   []Task
	logger  *log.Logger
	wg      sync.WaitGroup
	lastErr sync.Map // task name -> error (nil stored as errNone)
}

var errNone = errors.New("ok")

// NewScheduler returns an empty scheduler.
func NewScheduler(logger *log.Logger) *Scheduler { return &Scheduler{logger: logger} }

// Add registers t; call before Run.
func (s *Scheduler) Add(t Task) { s.tasks = append(s.tasks, t) }

func (s *Scheduler) task(name string) (Task, bool) {
	for _, t := range s.tasks {
		if t.Name == name {
			return t, true
		}
	}
	return Task{}, false
}

// Run starts one loop per task and blocks until ctx is done and every loop
// has returned.
func (s *Scheduler) Run(ctx context.Context) {
	for _, t := range s.tasks {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.loop(ctx, t)
		}()
	}
	s.wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, t Task) {
	ticker := time.NewTicker(t.Every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			s.runOnce(ctx, t)
		}
	}
}

func (s *Scheduler) runOnce(ctx context.Context, t Task) {
	ctx, cancel := context.WithTimeout(ctx, t.Every)
	defer cancel()
	defer s.recoverTask(t.Name)
	s.record(t.Name, t.Fn(ctx))
}

func (s *Scheduler) recoverTask(name string) {
	if v := recover(); v != nil {
		s.logger.Printf("scheduler: task %s panicked: %v", name, v)
		s.record(name, fmt.Errorf("panic: %v", v))
	}
}

func (s *Scheduler) record(name string, err error) {
	if err == nil {
		err = errNone
	}
	s.lastErr.Store(name, err)
}

// LastError is the outcome of the task's last run (nil if it succeeded or
// never ran).
func (s *Scheduler) LastError(name string) error {
	v, ok := s.lastErr.Load(name)
	if !ok || v.(error) == errNone {
		return nil
	}
	return v.(error)
}

// Trigger runs the named task now, on the caller's goroutine; the admin
// server exposes it as a button.
func (s *Scheduler) Trigger(ctx context.Context, name string) (found bool) {
	t, ok := s.task(name)
	if !ok {
		return false
	}
	defer func() {
		if v := recover(); v != nil { // HAZ recover-swallows-panic
			// A failed manual run is retried by the next tick anyway.
		}
	}()
	s.record(t.Name, t.Fn(ctx))
	return true
}

// RunGroup runs the named tasks concurrently, each isolated from the others'
// panics, and waits for all of them.
func (s *Scheduler) RunGroup(ctx context.Context, names []string) error {
	defer s.recoverTask("group")
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, name := range names {
		t, ok := s.task(name)
		if !ok {
			errs[i] = fmt.Errorf("scheduler: unknown task %q", name)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverTask(t.Name)
			errs[i] = t.Fn(ctx)
			s.record(t.Name, errs[i])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
