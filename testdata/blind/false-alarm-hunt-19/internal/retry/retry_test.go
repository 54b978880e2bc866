package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDoStopsOnPermanentError(t *testing.T) {
	bad := errors.New("bad request")
	calls := 0
	err := Do(context.Background(), Options{InitialBackoff: time.Millisecond}, func(context.Context, int) error {
		calls++
		if calls < 3 {
			return errors.New("transient")
		}
		return Permanent(bad)
	})
	if !errors.Is(err, bad) || calls != 3 {
		t.Fatalf("Do = %v after %d calls", err, calls)
	}
}

func TestDoHonoursMaxAttempts(t *testing.T) {
	calls := 0
	err := Do(context.Background(), Options{InitialBackoff: time.Millisecond, MaxAttempts: 2}, func(context.Context, int) error {
		calls++
		return errors.New("down")
	})
	if err == nil || calls != 2 {
		t.Fatalf("Do = %v after %d calls, want an error after 2", err, calls)
	}
}
