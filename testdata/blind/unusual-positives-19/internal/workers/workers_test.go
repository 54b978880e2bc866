package workers

import (
	"context"
	"errors"
	"testing"
)

func TestRunEachCountsSuccesses(t *testing.T) {
	jobs := []Job{
		{ID: "a", Run: func(context.Context) error { return nil }},
		{ID: "b", Run: func(context.Context) error { return errors.New("boom") }},
		{ID: "c", Skip: true},
	}
	if got := RunEach(context.Background(), jobs); got != 1 {
		t.Fatalf("RunEach = %d, want 1", got)
	}
}

func TestRunLimitedErrors(t *testing.T) {
	boom := errors.New("boom")
	jobs := []Job{
		{ID: "a", Run: func(context.Context) error { return nil }},
		{ID: "b", Run: func(context.Context) error { return boom }},
	}
	errs := RunLimited(context.Background(), jobs, 2)
	if errs[0] != nil || !errors.Is(errs[1], boom) {
		t.Fatalf("errs = %v", errs)
	}
}

func TestCallHookStrictConvertsErrors(t *testing.T) {
	boom := errors.New("boom")
	err := CallHookStrict("h", func() error { panic(boom) })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped boom", err)
	}
}
