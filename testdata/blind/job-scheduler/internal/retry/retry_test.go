package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

var fast = Policy{Initial: time.Millisecond, Max: 5 * time.Millisecond, Multiplier: 2, Attempts: 4}

func TestDoSucceedsEventually(t *testing.T) {
	calls := 0
	err := Do(context.Background(), fast, func(context.Context, int) error {
		calls++
		if calls < 3 {
			return errors.New("flaky")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err = %v, calls = %d", err, calls)
	}
}

func TestDoStopsOnPermanent(t *testing.T) {
	calls := 0
	boom := errors.New("bad config")
	err := Do(context.Background(), fast, func(context.Context, int) error {
		calls++
		return Permanent(boom)
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("err = %v, calls = %d", err, calls)
	}
}

func TestDoHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	slow := fast
	slow.Initial = time.Hour
	err := Do(ctx, slow, func(context.Context, int) error {
		cancel()
		return errors.New("fail")
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestBackoffBounds(t *testing.T) {
	p := Policy{Initial: 10 * time.Millisecond, Max: 80 * time.Millisecond, Multiplier: 2, Jitter: 0.5}
	for attempt := range 10 {
		d := p.Backoff(attempt)
		if d < 0 || d > 120*time.Millisecond {
			t.Fatalf("attempt %d: backoff %s out of bounds", attempt, d)
		}
	}
}

func TestPoll(t *testing.T) {
	n := 0
	err := Poll(context.Background(), time.Millisecond, func(context.Context) (bool, error) {
		n++
		return n == 3, nil
	})
	if err != nil || n != 3 {
		t.Fatalf("err = %v, n = %d", err, n)
	}
}
