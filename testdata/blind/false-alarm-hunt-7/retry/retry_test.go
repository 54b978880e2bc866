package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func noSleep(context.Context, time.Duration) error { return nil }

func withNoSleep() Option { return func(o *Options) { o.Sleep = noSleep } }

func TestDoStopsOnPermanent(t *testing.T) {
	calls := 0
	bad := errors.New("bad request")
	err := Do(context.Background(), "op", func(context.Context) error {
		calls++
		return Permanent(bad)
	}, withNoSleep())
	if !errors.Is(err, bad) || calls != 1 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}

func TestDoReportsFinalError(t *testing.T) {
	var got error
	var attempts int
	err := Do(context.Background(), "op", func(context.Context) error {
		return errors.New("flaky")
	}, withNoSleep(), WithBackoff(Constant(0, 3)), WithOnDone(func(_ string, n int, err error) {
		attempts, got = n, err
	}))
	if err == nil || got != err || attempts != 4 {
		t.Fatalf("err=%v got=%v attempts=%d", err, got, attempts)
	}
}

func TestScheduleCapped(t *testing.T) {
	s := Schedule(Exponential{Base: time.Second, Cap: 4 * time.Second, Max: 5}, 10)
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second}
	if len(s) != len(want) {
		t.Fatalf("schedule = %v", s)
	}
	for i := range want {
		if s[i] != want[i] {
			t.Fatalf("schedule[%d] = %v, want %v", i, s[i], want[i])
		}
	}
}

func TestDoValue(t *testing.T) {
	n := 0
	v, err := DoValue(context.Background(), "count", func(context.Context) (int, error) {
		n++
		if n < 3 {
			return 0, errors.New("not yet")
		}
		return n, nil
	}, withNoSleep())
	if err != nil || v != 3 {
		t.Fatalf("v=%d err=%v", v, err)
	}
}
