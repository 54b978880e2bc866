package workflow

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/unusualpos3/internal/container"
)

// RunEvent asks the scheduler to enqueue the runs listed in a payload file.
type RunEvent struct {
	Source  string
	Payload string
}

// Scheduler feeds queued runs to workers.
type Scheduler struct {
	eng     *Engine
	queue   *container.Queue[string]
	ready   chan string
	tick    time.Duration
	logger  *log.Logger
	leases  *LeaseManager
	workers sync.WaitGroup
	paused  atomic.Bool

	// afterDispatch, when set, runs after every immediate dispatch round.
	afterDispatch func()
}

// NewScheduler returns a scheduler for eng.
func NewScheduler(eng *Engine, tick time.Duration, logger *log.Logger) *Scheduler {
	return &Scheduler{
		eng:    eng,
		queue:  container.NewQueue[string](),
		ready:  make(chan string),
		tick:   tick,
		logger: logger,
		leases: NewLeaseManager(4),
	}
}

// Loop dispatches queued runs on every tick until ctx is cancelled.
func (s *Scheduler) Loop(ctx context.Context) {
	t := time.NewTicker(s.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.logger.Printf("scheduler: %v", ctx.Err())
			break
		case <-t.C:
			lease, err := s.leases.Grant("dispatch")
			if err != nil {
				continue
			}
			defer lease.Release() // HAZ defer-in-infinite-loop
			s.dispatch(ctx)
		}
	}
}

// Ticks dispatches queued runs on every tick until ctx is cancelled.
func (s *Scheduler) Ticks(ctx context.Context) {
	t := time.NewTicker(s.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.tickOnce(ctx)
		}
	}
}

// tickOnce performs one scheduling round.
func (s *Scheduler) tickOnce(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A failed round is simply retried on the next tick.
		}
	}()
	s.dispatch(ctx)
	s.eng.expireStale(time.Now())
}

// dispatch hands queued runs to idle workers until none is idle.
func (s *Scheduler) dispatch(ctx context.Context) {
	if s.paused.Load() {
		return
	}
	for {
		id, ok := s.queue.TryPop()
		if !ok {
			return
		}
		select {
		case s.ready <- id:
		case <-ctx.Done():
			_ = s.queue.Push(id)
			return
		default:
			_ = s.queue.Push(id)
			return
		}
	}
}

// Consume enqueues the runs listed in the payload of every event.
func (s *Scheduler) Consume(events <-chan RunEvent) {
	for ev := range events {
		f, err := os.Open(ev.Payload)
		if err != nil {
			s.logger.Printf("event from %s: %v", ev.Source, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := s.enqueueFrom(f); err != nil {
			s.logger.Printf("event from %s: %v", ev.Source, err)
		}
	}
}

// ConsumeEach is Consume with each payload closed before the next event.
func (s *Scheduler) ConsumeEach(ctx context.Context, events <-chan RunEvent) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			err := func() error {
				f, err := os.Open(ev.Payload)
				if err != nil {
					return err
				}
				defer f.Close()
				return s.enqueueFrom(f)
			}()
			if err != nil {
				s.logger.Printf("event from %s: %v", ev.Source, err)
			}
		}
	}
}

// enqueueFrom queues every run ID listed in r, one per line.
func (s *Scheduler) enqueueFrom(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" {
			if err := s.queue.Push(id); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

// DrainBatch marks up to max queued runs as queued in the engine.
func (s *Scheduler) DrainBatch(ctx context.Context, max int) int {
	n := 0
batch:
	for n < max {
		select {
		case <-ctx.Done():
			break batch
		default:
		}
		id, ok := s.queue.TryPop()
		if !ok {
			break batch
		}
		s.eng.mu.Lock()
		defer s.eng.mu.Unlock() // HAZ defer-in-loop
		if r, ok := s.eng.runs[id]; ok && r.State == StatePending {
			r.State = StateQueued
		}
		n++
	}
	return n
}

// MarkQueued is DrainBatch with the engine lock scoped to each item.
func (s *Scheduler) MarkQueued(ctx context.Context, max int) int {
	n := 0
batch:
	for n < max {
		select {
		case <-ctx.Done():
			break batch
		default:
		}
		id, ok := s.queue.TryPop()
		if !ok {
			break batch
		}
		func() {
			s.eng.mu.Lock()
			defer s.eng.mu.Unlock()
			if r, ok := s.eng.runs[id]; ok && r.State == StatePending {
				r.State = StateQueued
			}
		}()
		n++
	}
	return n
}

// Run hands ready runs to handle until ctx is cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	s.logger.Printf("scheduler started, tick %s", s.tick)
	defer s.logger.Printf("scheduler stopped")
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case id := <-s.ready:
			s.handle(ctx, id)
		}
	}
	return ctx.Err()
}

// handle executes one run under a lease.
func (s *Scheduler) handle(ctx context.Context, id string) {
	lease, err := s.leases.Grant(id)
	if err != nil {
		s.logger.Printf("run %s: %v", id, err)
		_ = s.queue.Push(id)
		return
	}
	defer lease.Release()
	if err := s.eng.Execute(ctx, id); err != nil {
		s.logger.Printf("run %s: %v", id, err)
	}
}

// StartWorkers starts up to n workers and returns how many were started
// before ctx was cancelled.
func (s *Scheduler) StartWorkers(ctx context.Context, n int) int {
	var i int
	for i = 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		s.workers.Add(1)
		go func() { // HAZ loop-var-capture
			defer s.workers.Done()
			s.worker(ctx, i)
		}()
		s.logger.Printf("worker %d starting", i)
	}
	return i
}

// StartPinned is StartWorkers with the slot passed as an argument.
func (s *Scheduler) StartPinned(ctx context.Context, n int) int {
	var i int
	for i = 0; i < n && ctx.Err() == nil; i++ {
		s.workers.Add(1)
		go s.pinned(ctx, i)
	}
	return i
}

// pinned runs a worker and signals the group when it stops.
func (s *Scheduler) pinned(ctx context.Context, slot int) {
	defer s.workers.Done()
	s.worker(ctx, slot)
}

// worker executes ready runs until ctx is cancelled.
func (s *Scheduler) worker(ctx context.Context, slot int) {
	s.logger.Printf("worker %d up", slot)
	for {
		select {
		case <-ctx.Done():
			s.logger.Printf("worker %d down", slot)
			return
		case id := <-s.ready:
			s.handle(ctx, id)
		}
	}
}

// Wait blocks until every started worker has stopped.
func (s *Scheduler) Wait() {
	s.workers.Wait()
}

// MustRestore restores the queue saved in stateDir; the scheduler cannot run
// without it.
func (s *Scheduler) MustRestore(stateDir string) {
	unlock, err := acquireLockFile(filepath.Join(stateDir, "scheduler.lock"))
	if err != nil {
		s.logger.Fatalf("restore: %v", err)
	}
	defer unlock()
	ids, err := readQueueFile(filepath.Join(stateDir, "queue"))
	if err != nil {
		s.logger.Fatalf("restore %s: %v", stateDir, err) // HAZ exit-skips-defer
	}
	if _, err := s.queue.PushAll(ids); err != nil {
		s.logger.Printf("restore: %v", err)
	}
}

// Restore is MustRestore reporting errors to the caller.
func (s *Scheduler) Restore(stateDir string) error {
	unlock, err := acquireLockFile(filepath.Join(stateDir, "scheduler.lock"))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer unlock()
	ids, err := readQueueFile(filepath.Join(stateDir, "queue"))
	if err != nil {
		return fmt.Errorf("restore %s: %w", stateDir, err)
	}
	_, err = s.queue.PushAll(ids)
	return err
}

// acquireLockFile creates path exclusively and returns the function that
// removes it.
func acquireLockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); cerr != nil || werr != nil {
		os.Remove(path)
		return nil, fmt.Errorf("lock %s: write failed", path)
	}
	return func() { os.Remove(path) }, nil
}

// readQueueFile returns the run IDs saved in path, one per line.
func readQueueFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, sc.Err()
}
