package controller

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

type conflictError struct{}

func (conflictError) Error() string  { return "conflict" }
func (conflictError) Conflict() bool { return true }

func TestBackoffStep(t *testing.T) {
	cases := []struct {
		name string
		b    Backoff
		want []time.Duration
	}{
		{"constant", Backoff{Duration: time.Second, Steps: 3}, []time.Duration{time.Second, time.Second, time.Second}},
		{"doubling", Backoff{Duration: time.Second, Factor: 2, Steps: 3}, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"capped", Backoff{Duration: time.Second, Factor: 10, Steps: 5, Cap: 5 * time.Second}, []time.Duration{time.Second, 5 * time.Second, 5 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			for i, want := range tc.want {
				if got := b.Step(); got != want {
					t.Fatalf("step %d = %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestRetryOnConflictGivesUp(t *testing.T) {
	calls := 0
	err := RetryOnConflict(Backoff{Duration: time.Millisecond, Steps: 3}, func() error {
		calls++
		return conflictError{}
	})
	if !errors.Is(err, ErrRetriesExhausted) {
		t.Fatalf("err = %v, want ErrRetriesExhausted", err)
	}
	if calls != 3 {
		t.Fatalf("calls = %d, want 3", calls)
	}
}

func TestExponentialBackoffHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ExponentialBackoff(ctx, Backoff{Duration: time.Hour, Steps: 2}, func(context.Context) (bool, error) {
		return false, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFinalizeOneRunsCleanup(t *testing.T) {
	reg := NewFinalizerRegistry()
	cleaned := false
	if err := reg.Register("dns", func(context.Context, *api.Widget) error { return nil }); err != nil {
		t.Fatal(err)
	}
	reg.RegisterCleanup("dns", func() { cleaned = true })
	if err := reg.FinalizeOne(context.Background(), "dns", &api.Widget{}); err != nil {
		t.Fatal(err)
	}
	if !cleaned {
		t.Fatal("cleanup did not run")
	}
	if err := reg.Register("dns", func(context.Context, *api.Widget) error { return nil }); err == nil {
		t.Fatal("duplicate registration accepted")
	}
}
