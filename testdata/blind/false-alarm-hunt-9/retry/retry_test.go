package retry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/falsealarm9/retry"
	"example.com/falsealarm9/testutil"
)

func TestDoStopsOnSuccess(t *testing.T) {
	calls := 0
	p := retry.Policy{Attempts: 5, Base: time.Millisecond}
	err := p.Do(testutil.Context(t), func(context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("transient")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("Do = %v after %d calls", err, calls)
	}
}

func TestBreakerOpensAfterThreshold(t *testing.T) {
	now := time.Unix(0, 0)
	var transitions []retry.State
	b := retry.NewBreaker(2, time.Minute,
		retry.WithClock(func() time.Time { return now }),
		retry.OnStateChange(func(_, to retry.State) { transitions = append(transitions, to) }),
	)
	fail := func(context.Context) error { return errors.New("down") }
	for range 2 {
		_ = b.Execute(context.Background(), fail)
	}
	if err := b.Allow(); !errors.Is(err, retry.ErrOpen) {
		t.Fatalf("Allow = %v, want ErrOpen", err)
	}
	now = now.Add(2 * time.Minute)
	if err := b.Execute(context.Background(), func(context.Context) error { return nil }); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if b.State() != retry.Closed || len(transitions) != 3 {
		t.Fatalf("state %v, transitions %v", b.State(), transitions)
	}
}

func TestHedgeReturnsFirstSuccess(t *testing.T) {
	defer testutil.NoLeak(t)()
	v, err := retry.Hedge(testutil.Context(t), 3, 5*time.Millisecond, func(ctx context.Context) (int, error) {
		return 7, nil
	})
	if err != nil || v != 7 {
		t.Fatalf("Hedge = %d, %v", v, err)
	}
}
