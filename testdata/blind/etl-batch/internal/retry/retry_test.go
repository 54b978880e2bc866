package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDoRetriesUntilSuccess(t *testing.T) {
	p := Policy{Attempts: 4, Base: time.Millisecond, Max: 5 * time.Millisecond}
	calls := 0
	err := p.Do(context.Background(), func(context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("flaky")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("Do = %v after %d calls", err, calls)
	}
}

func TestDoStopsOnPermanent(t *testing.T) {
	p := Policy{Attempts: 4, Base: time.Millisecond}
	want := errors.New("bad request")
	calls := 0
	err := p.Do(context.Background(), func(context.Context) error {
		calls++
		return Permanent(want)
	})
	if !errors.Is(err, want) || calls != 1 {
		t.Fatalf("Do = %v after %d calls", err, calls)
	}
}

func TestBackoffIsCapped(t *testing.T) {
	p := Policy{Base: time.Second, Max: 3 * time.Second}
	if d := p.Backoff(10); d != 3*time.Second {
		t.Fatalf("Backoff(10) = %s", d)
	}
}
