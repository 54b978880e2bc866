package lifecycle

import (
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type flaky struct {
	runs atomic.Int32
}

func (f *flaky) Name() string { return "flaky" }

func (f *flaky) Run(ctx context.Context) error {
	if f.runs.Add(1) == 1 {
		panic("first run fails")
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestRecoverTo(t *testing.T) {
	run := func() (err error) {
		defer RecoverTo(&err)
		panic("boom")
	}
	err := run()
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v", err)
	}
}

func TestSupervisorRestartsAfterPanic(t *testing.T) {
	s := NewSupervisor(log.New(io.Discard, "", 0), time.Millisecond, 0)
	svc := &flaky{}
	s.Add(svc)

	ctx, cancel := context.WithCancel(context.Background())
	s.Start(ctx)
	deadline := time.Now().Add(2 * time.Second)
	for svc.runs.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	s.Stop()
	if svc.runs.Load() < 2 {
		t.Fatal("service was not restarted")
	}
}

func TestLimiterTryAcquire(t *testing.T) {
	l := NewLimiter(1)
	release, ok := l.TryAcquire()
	defer release()
	if !ok {
		t.Fatal("first TryAcquire failed")
	}
	second, ok := l.TryAcquire()
	defer second()
	if ok {
		t.Fatal("second TryAcquire succeeded on a full limiter")
	}
	if _, err := l.Acquire(canceled()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Acquire on full limiter = %v", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
