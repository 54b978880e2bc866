package worker

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"testing"
	"time"
)

type fakeBackend struct {
	mu         sync.Mutex
	heartbeats int
	results    []Result
}

func (b *fakeBackend) Poll(ctx context.Context, queue string) (*Task, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (b *fakeBackend) Heartbeat(ctx context.Context, taskID string, details []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.heartbeats++
	return nil
}

func (b *fakeBackend) Complete(ctx context.Context, r Result) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.results = append(b.results, r)
	return nil
}

func newTestWorker() (*Worker, *fakeBackend) {
	b := &fakeBackend{}
	w := New("test", "default", b, log.New(io.Discard, "", 0))
	w.baseBackoff, w.maxBackoff = time.Millisecond, 4*time.Millisecond
	return w, b
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	for attempt := 1; attempt <= 40; attempt++ {
		d := Backoff(attempt, 100*time.Millisecond, 10*time.Second)
		if d < 50*time.Millisecond || d > 10*time.Second {
			t.Fatalf("Backoff(%d) = %s out of bounds", attempt, d)
		}
	}
}

func TestRetryStopsOnNonRetryable(t *testing.T) {
	w, _ := newTestWorker()
	calls := 0
	w.Register("flaky", func(ctx context.Context, in []byte) ([]byte, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("transient")
		}
		return nil, &NonRetryableError{Err: errors.New("bad input")}
	})
	_, err := w.executeWithRetry(context.Background(), &Task{ID: "t1", Activity: "flaky", MaxAttempts: 10})
	var nr *NonRetryableError
	if !errors.As(err, &nr) || calls != 2 {
		t.Fatalf("err = %v after %d calls", err, calls)
	}
}

func TestPanicBecomesError(t *testing.T) {
	w, b := newTestWorker()
	w.Register("boom", func(ctx context.Context, in []byte) ([]byte, error) {
		panic("kaboom")
	})
	w.handle(context.Background(), &Task{ID: "t2", Activity: "boom", MaxAttempts: 1})
	b.mu.Lock()
	defer b.mu.Unlock()
	var pe *PanicError
	if len(b.results) != 1 || !errors.As(b.results[0].Err, &pe) {
		t.Fatalf("results = %+v", b.results)
	}
}

func TestStreamDeliversAll(t *testing.T) {
	w, _ := newTestWorker()
	w.Register("echo", func(ctx context.Context, in []byte) ([]byte, error) { return in, nil })
	p := NewPool(w, 2)
	tasks := make([]*Task, 8)
	for i := range tasks {
		tasks[i] = &Task{ID: string(rune('a' + i)), Activity: "echo", Input: []byte{byte(i)}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got := Drain(ctx, p.Stream(ctx, tasks), len(tasks))
	if len(got) != len(tasks) {
		t.Fatalf("got %d results, want %d", len(got), len(tasks))
	}
}

func TestRunLocalConcurrent(t *testing.T) {
	w, _ := newTestWorker()
	w.Register("double", func(ctx context.Context, in []byte) ([]byte, error) {
		return append(in, in...), nil
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			out, err := w.RunLocal(context.Background(), "double", []byte{byte(i)})
			if err != nil {
				t.Errorf("RunLocal: %v", err)
				return
			}
			if len(out) != 2 {
				t.Errorf("output %v", out)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}
