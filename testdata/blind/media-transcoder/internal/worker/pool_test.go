package worker

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/mediatranscoder/internal/job"
)

type fakeProcessor struct {
	mu   sync.Mutex
	seen []job.ID
	fail map[job.ID]error
}

func (f *fakeProcessor) Process(ctx context.Context, j *job.Job) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, j.ID)
	return f.fail[j.ID]
}

func newTestPool(t *testing.T, proc Processor) (*Pool, *job.Queue, *job.Store) {
	t.Helper()
	q := job.NewQueue()
	s := job.NewStore()
	p := NewPool(q, s, proc, Config{Workers: 2, MaxAttempts: 1}, log.New(io.Discard, "", 0))
	return p, q, s
}

func TestPoolRunsAndShutsDown(t *testing.T) {
	proc := &fakeProcessor{fail: map[job.ID]error{"bad": errors.New("boom")}}
	p, q, s := newTestPool(t, proc)
	p.Start(context.Background())
	for _, id := range []job.ID{"a", "b", "bad"} {
		j := &job.Job{ID: id, Request: job.Request{SourcePath: "x", Renditions: job.DefaultLadder()}}
		s.Put(j)
		if err := q.Push(j); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for !allTerminal(s, 3) {
		if ctx.Err() != nil {
			t.Fatal("jobs did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if j, _ := s.Get("bad"); j.Status != job.StatusFailed {
		t.Fatalf("bad job status = %s", j.Status)
	}
}

func allTerminal(s *job.Store, n int) bool {
	jobs := s.List(0)
	if len(jobs) < n {
		return false
	}
	for _, j := range jobs {
		if !j.Status.Terminal() {
			return false
		}
	}
	return true
}

func TestSemaphoreOverReleasePanics(t *testing.T) {
	s := NewSemaphore(1)
	defer func() {
		if recover() == nil {
			t.Fatal("releasing an unheld slot did not panic")
		}
	}()
	s.Release()
}

func TestLeaseDoubleRelease(t *testing.T) {
	s := NewSemaphore(2)
	l, err := s.AcquireLease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); !errors.Is(err, errDoubleRelease) {
		t.Fatalf("second release: %v", err)
	}
	if s.InUse() != 0 {
		t.Fatalf("in use = %d", s.InUse())
	}
}

func TestRetryGivesUpOnPermanentError(t *testing.T) {
	calls := 0
	permanent := errors.New("invalid data found when processing input")
	err := Retry(context.Background(), RetryPolicy{Attempts: 5, Base: time.Millisecond, Max: time.Millisecond},
		func(context.Context, int) error {
			calls++
			return permanent
		})
	if !errors.Is(err, permanent) || calls != 1 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}

func TestRunAllReturnsError(t *testing.T) {
	want := errors.New("archive failed")
	err := runAll(context.Background(), []func(context.Context) error{
		func(context.Context) error { return nil },
		func(context.Context) error { return want },
	})
	if !errors.Is(err, want) {
		t.Fatalf("got %v", err)
	}
}

func TestRunSafeConvertsPanic(t *testing.T) {
	h := NewHookRunner(log.New(io.Discard, "", 0))
	err := h.RunSafe(context.Background(), Hook{Name: "purge", Fn: func(context.Context, *job.Job) error {
		panic("nil cdn client")
	}}, &job.Job{ID: "x"})
	if err == nil {
		t.Fatal("panic was not converted to an error")
	}
}
