package sched

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"

	"example.com/batchcompute/internal/progress"
)

func newTestScheduler(limit int) *Scheduler {
	return New(limit, log.New(io.Discard, "", 0), progress.NewReporter(io.Discard, 0, time.Hour))
}

func TestStateString(t *testing.T) {
	if got := Cancelled.String(); got != "cancelled" {
		t.Errorf("got %q", got)
	}
	if got := State(42).String(); got != "State(42)" {
		t.Errorf("got %q", got)
	}
}

func TestSubmitDuplicate(t *testing.T) {
	s := newTestScheduler(1)
	j := &Job{ID: "a", Run: func(context.Context) error { return nil }}
	if err := s.Submit(j); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(&Job{ID: "a", Run: j.Run}); err == nil {
		t.Fatal("duplicate accepted")
	}
}

func TestRunCompletesJobs(t *testing.T) {
	s := newTestScheduler(2)
	s.OnState(Done, func(*Job) {})
	s.OnState(Failed, func(*Job) {})
	var ran atomic.Int32
	for _, id := range []string{"a", "b", "c"} {
		err := s.Submit(&Job{ID: id, Run: func(context.Context) error { ran.Add(1); return nil }})
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	go s.Run(ctx)
	if err := s.DrainAndLog(ctx); err != nil {
		t.Fatal(err)
	}
	if ran.Load() != 3 {
		t.Fatalf("ran %d jobs", ran.Load())
	}
}

func TestSetPriorityUnknown(t *testing.T) {
	s := newTestScheduler(1)
	if err := s.SetPriority("nope", 3); !errors.Is(err, ErrUnknownJob) {
		t.Fatalf("got %v", err)
	}
}

func TestRunBatchSafeConvertsPanic(t *testing.T) {
	s := newTestScheduler(1)
	jobs := []*Job{
		{ID: "ok", Run: func(context.Context) error { return nil }},
		{ID: "boom", Run: func(context.Context) error { panic("boom") }},
	}
	if err := s.RunBatchSafe(context.Background(), jobs); err == nil {
		t.Fatal("panic not reported")
	}
}
