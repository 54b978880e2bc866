package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"example.com/jobscheduler/internal/job"
	"example.com/jobscheduler/internal/runner"
)

type discard struct{}

func (discard) Report(job.Result) {}

func newTestScheduler(t *testing.T) *Scheduler {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return New(ctx, Config{Node: "test", Runner: runner.New(log, discard{}), Log: log})
}

func TestAddAndLookup(t *testing.T) {
	s := newTestScheduler(t)
	j := &job.Job{ID: "backup", Spec: "@hourly", Run: func(context.Context) error { return nil }}
	if err := s.Add(j); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(j); err == nil {
		t.Fatal("duplicate add succeeded")
	}
	e, ok := s.Lookup("backup")
	if !ok || e.Next.IsZero() {
		t.Fatalf("Lookup = %+v, %v", e, ok)
	}
	if err := s.Pause("nope"); !errors.Is(err, ErrUnknownJob) {
		t.Fatalf("Pause(nope) = %v", err)
	}
}

func TestDispatchRunsDueJobs(t *testing.T) {
	s := newTestScheduler(t)
	var runs atomic.Int32
	j := &job.Job{ID: "tick", Spec: "* * * * *", Run: func(context.Context) error {
		runs.Add(1)
		return nil
	}}
	if err := s.Add(j); err != nil {
		t.Fatal(err)
	}
	if n := s.dispatch(context.Background(), time.Now().Add(2*time.Minute)); n != 1 {
		t.Fatalf("dispatched %d, want 1", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if runs.Load() != 1 {
		t.Fatalf("runs = %d", runs.Load())
	}
}

func TestReplayCountsPanickingHooks(t *testing.T) {
	s := newTestScheduler(t)
	s.mu.Lock()
	s.hooks = append(s.hooks, func(Event) { panic("broken hook") }, func(Event) {})
	s.mu.Unlock()
	if got := s.Replay([]Event{{Kind: "finished"}, {Kind: "paused"}}); got != 2 {
		t.Fatalf("Replay failures = %d, want 2", got)
	}
}
