package sender

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLimiterBurstThenWait(t *testing.T) {
	l := NewLimiter(50, 2, nil)
	t.Cleanup(l.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		if err := l.Wait(ctx, "example.com"); err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
	}
}

func TestLimiterWaitHonoursContext(t *testing.T) {
	l := NewLimiter(1, 1, map[string]int{"slow.example": 1})
	t.Cleanup(l.Stop)
	if err := l.Wait(context.Background(), "slow.example"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx, "slow.example"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestThrottleHalvesRate(t *testing.T) {
	l := NewLimiter(8, 1, nil)
	t.Cleanup(l.Stop)
	if got := l.Throttle("big.example"); got != 4 {
		t.Fatalf("Throttle = %d, want 4", got)
	}
	if got := l.Rates()["big.example"]; got != 4 {
		t.Fatalf("Rates = %d, want 4", got)
	}
}
