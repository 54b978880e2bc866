package jobs

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunOnceConvertsPanic(t *testing.T) {
	err := RunOnce(context.Background(), Job{ID: "boom", Run: func(context.Context) error {
		panic("kaput")
	}})
	if err == nil || !strings.Contains(err.Error(), "kaput") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunAllCancelsOnFirstFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var started atomic.Int32
	bad := errors.New("bad input")
	jobs := []Job{
		{ID: "fail", Run: func(context.Context) error { return bad }},
	}
	for range 10 {
		jobs = append(jobs, Job{ID: "slow", Run: func(ctx context.Context) error {
			started.Add(1)
			<-ctx.Done()
			return ctx.Err()
		}})
	}
	err := RunAll(ctx, jobs, 2)
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v, want %v", err, bad)
	}
	if ctx.Err() != nil {
		t.Fatal("RunAll waited for the test deadline")
	}
}
