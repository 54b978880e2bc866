package timeutil

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestTimerResetAfterRead(t *testing.T) {
	var tm Timer
	defer tm.Stop()
	for range 3 {
		tm.Reset(time.Millisecond)
		select {
		case <-tm.C:
			tm.Read = true
		case <-time.After(5 * time.Second):
			t.Fatal("timer did not fire")
		}
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
}

func TestMeasureRecordsOnce(t *testing.T) {
	h := NewHistogram(time.Millisecond, time.Second)
	func() {
		defer Measure(h)()
	}()
	if got := h.Snapshot().Count; got != 1 {
		t.Fatalf("count = %d, want 1", got)
	}
}
