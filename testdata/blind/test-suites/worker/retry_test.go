package worker_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"example.com/testsuites/clock"
	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/worker"
)

var errFlaky = errors.New("flaky")

func TestBackoffDelay(t *testing.T) {
	b := worker.Backoff{Base: 100 * time.Millisecond, Max: time.Second, Factor: 2}
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 0},
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{3, 400 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{50, time.Second},
	}
	for _, tc := range tests {
		if got := b.Delay(tc.attempt); got != tc.want {
			t.Errorf("Delay(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
}

func TestBackoffDelayHugeAttempt(t *testing.T) {
	defer recover() // HAZ recover-ineffective
	b := worker.Backoff{Base: time.Second, Max: time.Hour, Factor: 10}
	if got := b.Delay(1 << 20); got != time.Hour {
		t.Fatalf("Delay(huge) = %v, want the cap", got)
	}
}

func TestBackoffFactorBelowOne(t *testing.T) {
	b := worker.Backoff{Base: time.Second, Max: time.Minute, Factor: 0.5}
	if got := b.Delay(4); got != time.Second {
		t.Fatalf("Delay(4) = %v, want a constant delay", got)
	}
}

func TestRetrySucceedsAfterFailures(t *testing.T) {
	clk := clock.NewFake(testutil.Epoch)
	calls := 0
	errc := make(chan error, 1)
	go func() {
		errc <- worker.Retry(context.Background(), clk, worker.DefaultBackoff, 5, func(context.Context) error {
			calls++
			if calls < 3 {
				return errFlaky
			}
			return nil
		})
	}()
	for i := 1; i <= 2; i++ {
		clk.BlockUntil(1)
		clk.Advance(worker.DefaultBackoff.Delay(i))
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Retry = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Retry did not finish")
	}
	if calls != 3 {
		t.Fatalf("calls = %d, want 3", calls)
	}
}

func TestRetryGivesUp(t *testing.T) {
	clk := clock.NewFake(testutil.Epoch)
	errc := make(chan error, 1)
	go func() {
		errc <- worker.Retry(context.Background(), clk, worker.DefaultBackoff, 3, func(context.Context) error {
			return errFlaky
		})
	}()
	for i := 1; i <= 2; i++ {
		clk.BlockUntil(1)
		clk.Advance(worker.DefaultBackoff.Delay(i))
	}
	if err := <-errc; !errors.Is(err, errFlaky) {
		t.Fatalf("Retry = %v, want errFlaky", err)
	}
}

func TestRetryStopsOnPermanent(t *testing.T) {
	calls := 0
	err := worker.Retry(context.Background(), clock.NewFake(testutil.Epoch), worker.DefaultBackoff, 10, func(context.Context) error {
		calls++
		return worker.Permanent(errFlaky)
	})
	if !worker.IsPermanent(err) || !errors.Is(err, errFlaky) || calls != 1 {
		t.Fatalf("Retry = %v after %d calls", err, calls)
	}
}

func TestRetryHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := worker.Retry(ctx, clock.NewFake(testutil.Epoch), worker.DefaultBackoff, 10, func(context.Context) error {
		return errFlaky
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errFlaky) {
		t.Fatalf("Retry = %v", err)
	}
}

func TestPermanentNil(t *testing.T) {
	if worker.Permanent(nil) != nil {
		t.Fatal("Permanent(nil) != nil")
	}
	if worker.IsPermanent(errFlaky) {
		t.Fatal("plain error reported as permanent")
	}
}

func TestRetryJobThroughPool(t *testing.T) {
	clk := clock.NewFake(testutil.Epoch)
	attempts := 0
	p := worker.New(func(_ context.Context, j worker.Job) error {
		attempts = j.Attempt
		return worker.Permanent(fmt.Errorf("card declined for %s", j.OrderID))
	}, 1, worker.WithClock(clk))
	defer p.Stop()
	err := p.RetryJob(context.Background(), worker.DefaultBackoff, 3, worker.Job{ID: "j1", OrderID: "ord-1"})
	if !worker.IsPermanent(err) || attempts != 1 {
		t.Fatalf("RetryJob = %v after %d attempts", err, attempts)
	}
	if s := p.Stats(); s.Done != 1 || s.Failed != 1 {
		t.Fatalf("stats = %+v", s)
	}
}

func ExampleBackoff_Delay() {
	b := worker.Backoff{Base: 100 * time.Millisecond, Max: time.Second, Factor: 3}
	for attempt := 1; attempt <= 4; attempt++ {
		fmt.Println(attempt, b.Delay(attempt))
	}
	// Output:
	// 1 100ms
	// 2 300ms
	// 3 900ms
	// 4 1s
}

func ExamplePermanent() {
	err := worker.Permanent(errors.New("invalid card"))
	fmt.Println(err, worker.IsPermanent(err))
	// Output: permanent: invalid card true
}

func BenchmarkBackoffDelay(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = worker.DefaultBackoff.Delay(i%20 + 1)
	}
}
