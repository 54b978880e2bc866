package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDelayGrowsAndCaps(t *testing.T) {
	p := Policy{Base: time.Second, Max: 10 * time.Second, Factor: 2}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := p.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestJitterStaysInBand(t *testing.T) {
	p := Policy{Base: time.Second, Factor: 2, Jitter: 0.5}
	for _, r := range []float64{0, 0.5, 0.999} {
		d := p.WithRand(func() float64 { return r }).Delay(1)
		if d < 500*time.Millisecond || d > 1500*time.Millisecond {
			t.Errorf("r=%v: delay %v out of band", r, d)
		}
	}
}

func TestDoStopsOnPermanent(t *testing.T) {
	calls := 0
	err := Do(context.Background(), Policy{Base: time.Millisecond}, 5, func(context.Context) error {
		calls++
		return Permanent(errors.New("bad payload"))
	})
	if !IsPermanent(err) || calls != 1 {
		t.Fatalf("err=%v calls=%d, want permanent after 1 call", err, calls)
	}
}

func TestDoHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	err := Do(ctx, Policy{Base: time.Hour}, 3, func(context.Context) error {
		calls++
		cancel()
		return errors.New("flaky")
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}
