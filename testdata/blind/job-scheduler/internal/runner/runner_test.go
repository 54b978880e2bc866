package runner

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"example.com/jobscheduler/internal/job"
)

type memReporter struct {
	mu      sync.Mutex
	results []job.Result
}

func (m *memReporter) Report(res job.Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.results = append(m.results, res)
}

func newTestRunner() *Runner {
	return New(slog.New(slog.NewTextHandler(io.Discard, nil)), &memReporter{})
}

func TestAttemptRecoversPanic(t *testing.T) {
	r := newTestRunner()
	j := &job.Job{ID: "boom", Run: func(context.Context) error { panic("disk on fire") }}
	res := r.Attempt(context.Background(), j, 1)
	if !res.Panicked || res.OK() || res.Finished.IsZero() {
		t.Fatalf("result = %+v", res)
	}
}

func TestRunReturnsPanicError(t *testing.T) {
	r := newTestRunner()
	j := &job.Job{ID: "boom", Run: func(context.Context) error { panic(42) }}
	var pe *job.PanicError
	if err := r.Run(context.Background(), j); !errors.As(err, &pe) || pe.Value != 42 {
		t.Fatalf("err = %v", err)
	}
}

func TestRunWithinTimesOut(t *testing.T) {
	r := newTestRunner()
	release := make(chan struct{})
	defer close(release)
	j := &job.Job{ID: "slow", Run: func(ctx context.Context) error {
		<-release
		return nil
	}}
	if err := r.RunWithin(context.Background(), j, 10*time.Millisecond); !errors.Is(err, ErrDeadline) {
		t.Fatalf("err = %v, want ErrDeadline", err)
	}
}

func TestRunAllKeepsOrder(t *testing.T) {
	r := newTestRunner()
	var jobs []*job.Job
	for _, id := range []string{"a", "b", "c"} {
		jobs = append(jobs, &job.Job{ID: id, Run: func(context.Context) error { return nil }})
	}
	for i, res := range r.RunAll(context.Background(), jobs) {
		if res.JobID != jobs[i].ID || !res.OK() {
			t.Fatalf("result %d = %+v", i, res)
		}
	}
}
