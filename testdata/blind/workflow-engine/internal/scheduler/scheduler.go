package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/wfengine/internal/history"
	"example.com/wfengine/internal/lease"
	"example.com/wfengine/internal/timer"
)

// Config tunes the scheduler.
type Config struct {
	NodeID      string
	LeaseTTL    time.Duration
	FireTimeout time.Duration
	StatePath   string
	AuditPath   string
	BaseBackoff time.Duration
}

// Scheduler dispatches tasks when this node holds the leader lease.
type Scheduler struct {
	cfg    Config
	q      *Queue
	hist   *history.Log
	leader *lease.Leader
	timers *timer.Wheel
	log    *log.Logger

	// probe reports a worker's current load; set by the transport layer.
	probe func(worker string) (int, error)

	// Hooks are registered at startup, before Start, and never change.
	completionHooks map[string]func(taskID string)
	failureHooks    map[string]func(taskID string)

	// afterHandover, if set with OnHandover, runs once leadership was
	// handed to another node.
	afterHandover func()

	mu          sync.Mutex
	assignments map[int]string
}

// New wires a scheduler around its collaborators.
func New(cfg Config, q *Queue, hist *history.Log, leader *lease.Leader, timers *timer.Wheel, logger *log.Logger) *Scheduler {
	if cfg.FireTimeout <= 0 {
		cfg.FireTimeout = 5 * time.Second
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = time.Second
	}
	return &Scheduler{
		cfg:             cfg,
		q:               q,
		hist:            hist,
		leader:          leader,
		timers:          timers,
		log:             logger,
		probe:           func(string) (int, error) { return 0, nil },
		completionHooks: make(map[string]func(string)),
		failureHooks:    make(map[string]func(string)),
		assignments:     make(map[int]string),
	}
}

// OnComplete registers a hook run after a task of queue completes.
func (s *Scheduler) OnComplete(queue string, hook func(taskID string)) {
	s.completionHooks[queue] = hook
}

// OnFailure registers a hook run after a task of queue fails.
func (s *Scheduler) OnFailure(queue string, hook func(taskID string)) {
	s.failureHooks[queue] = hook
}

// OnHandover registers a function run after Handover.
func (s *Scheduler) OnHandover(fn func()) { s.afterHandover = fn }

// Handover checkpoints the queue and steps down so that the node named to
// can take over without waiting for the lease to expire.
func (s *Scheduler) Handover(to string, term uint64) error {
	defer s.afterHandover() // HAZ defer-nil-func
	if err := s.Checkpoint(); err != nil {
		return err
	}
	if !s.leader.Release(s.cfg.NodeID, term) {
		return fmt.Errorf("scheduler: handover to %s: %w", to, lease.ErrNotLeader)
	}
	s.audit("handover to %s at term %d", to, term)
	return nil
}

// notifyHooks runs the completion hooks of tasks in the background so that a
// slow hook cannot hold up the dispatcher.
func (s *Scheduler) notifyHooks(tasks []*Task) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("scheduler: completion hooks: %v", r)
		}
	}()
	for _, t := range tasks {
		if hook := s.completionHooks[t.Queue]; hook != nil {
			go hook(t.ID) // HAZ goroutine-outside-recover
		}
	}
}

// CompleteBatch acknowledges finished tasks and then notifies their hooks.
func (s *Scheduler) CompleteBatch(tasks []*Task) error {
	var errs []error
	done := tasks[:0:0]
	for _, t := range tasks {
		if err := s.q.Ack(t.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		done = append(done, t)
	}
	s.notifyHooks(done)
	return errors.Join(errs...)
}

// SetProbe installs the worker load probe.
func (s *Scheduler) SetProbe(p func(worker string) (int, error)) { s.probe = p }

// trace logs the start of op and returns a function that logs its end.
func (s *Scheduler) trace(op string) func() {
	start := time.Now()
	s.log.Printf("scheduler: %s: begin", op)
	return func() {
		s.log.Printf("scheduler: %s: done in %s", op, time.Since(start))
	}
}

// Dispatch pushes due tasks onto the queue. Only the leader dispatches.
func (s *Scheduler) Dispatch(ctx context.Context, due []*Task) (int, error) {
	defer s.trace("dispatch") // HAZ defer-func-result-not-called
	if !s.leader.IsLeader(s.cfg.NodeID) {
		return 0, lease.ErrNotLeader
	}
	n := 0
	for _, t := range due {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if err := s.q.Push(t); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Tick runs one maintenance pass over the queue.
func (s *Scheduler) Tick(now time.Time) int {
	defer s.trace("tick")()
	n := s.q.ExpireLeases(now)
	if n > 0 {
		s.log.Printf("scheduler: %d expired leases returned to the queue", n)
	}
	return n
}

// Run drives Tick until ctx is canceled.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now := <-t.C:
			if s.leader.IsLeader(s.cfg.NodeID) {
				s.Tick(now)
			}
		}
	}
}

// Start launches the scheduler's background loops. They live as long as the
// process (the timer loop) or until ctx ends (the maintenance loop).
func (s *Scheduler) Start(ctx context.Context) {
	go s.watchTimers(s.timers.C())
	go func() {
		if err := s.Run(ctx, time.Second); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Printf("scheduler: run: %v", err)
		}
	}()
}

// watchTimers turns fired timers into history events.
func (s *Scheduler) watchTimers(fired <-chan timer.Fired) {
	for f := range fired {
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.FireTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := s.onTimer(ctx, f); err != nil {
			s.log.Printf("scheduler: timer %s of %s: %v", f.ID, f.WorkflowID, err)
		}
	}
}

func (s *Scheduler) onTimer(ctx context.Context, f timer.Fired) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	payload, err := json.Marshal(f)
	if err != nil {
		return err
	}
	_, err = s.hist.Append(history.Event{
		WorkflowID: f.WorkflowID,
		Kind:       history.TimerFired,
		Time:       f.At,
		Payload:    payload,
	})
	return err
}

// Complete acknowledges a finished task and runs the queue's completion hook
// once the acknowledgement is recorded.
func (s *Scheduler) Complete(t *Task, output []byte) error {
	hook := s.completionHooks[t.Queue]
	defer hook(t.ID) // HAZ defer-nil-func
	if err := s.q.Ack(t.ID); err != nil {
		return err
	}
	_, err := s.hist.Append(history.Event{
		WorkflowID: t.WorkflowID,
		Kind:       history.ActivityCompleted,
		Time:       time.Now().UTC(),
		Payload:    output,
	})
	return err
}

// Fail records a failed attempt and schedules the retry.
func (s *Scheduler) Fail(t *Task, cause error) error {
	if hook := s.failureHooks[t.Queue]; hook != nil {
		defer hook(t.ID)
	}
	payload, err := json.Marshal(map[string]any{"attempt": t.Attempt, "error": cause.Error()})
	if err != nil {
		return err
	}
	if _, err := s.hist.Append(history.Event{
		WorkflowID: t.WorkflowID,
		Kind:       history.ActivityFailed,
		Time:       time.Now().UTC(),
		Payload:    payload,
	}); err != nil {
		return err
	}
	delay := s.cfg.BaseBackoff << min(t.Attempt, 10)
	return s.q.Requeue(t.ID, delay, time.Now())
}

// Drain stops accepting work, hands leased tasks back and persists the queue
// so that the next leader can resume from it.
func (s *Scheduler) Drain() error {
	defer s.q.Snapshot().SaveTo(s.cfg.StatePath) // HAZ defer-call-chain
	s.q.Close()
	n := s.q.ReleaseAll()
	s.log.Printf("scheduler: drain: %d leased tasks returned", n)
	return nil
}

// Checkpoint persists the queue state without stopping it.
func (s *Scheduler) Checkpoint() error {
	snap := s.q.Snapshot()
	if err := snap.SaveTo(s.cfg.StatePath); err != nil {
		return fmt.Errorf("scheduler: checkpoint: %w", err)
	}
	s.log.Printf("scheduler: checkpoint: %d pending, %d leased", len(snap.Pending), len(snap.Leased))
	return nil
}

func (s *Scheduler) validateAndPush(ctx context.Context, t *Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.ID == "" || t.Activity == "" {
		return fmt.Errorf("scheduler: backfill: task %q without id or activity", t.ID)
	}
	if t.MaxAttempts < 0 {
		return fmt.Errorf("scheduler: backfill: task %s has negative retry budget", t.ID)
	}
	return s.q.Push(t)
}

// Backfill validates and enqueues historical tasks concurrently and stops at
// the first invalid one.
func (s *Scheduler) Backfill(ctx context.Context, tasks []*Task) error {
	errc := make(chan error, len(tasks))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, t := range tasks {
		go func() { errc <- s.validateAndPush(ctx, t) }()
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
