package wheel

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func TestWheelFiresInOrder(t *testing.T) {
	var fired []string
	w := New(time.Second, 8, func(id string) { fired = append(fired, id) })
	if err := w.Schedule("late", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := w.Schedule("early", 2*time.Second); err != nil {
		t.Fatal(err)
	}
	for range 12 {
		for _, id := range w.advance() {
			w.fire(id)
		}
	}
	if !slices.Equal(fired, []string{"early", "late"}) {
		t.Fatalf("fired = %v", fired)
	}
}

func TestCancelAndReschedule(t *testing.T) {
	w := New(time.Second, 4, func(string) {})
	if err := w.Schedule("a", time.Second); err != nil {
		t.Fatal(err)
	}
	if err := w.Reschedule("a", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := w.Reschedule("b", time.Second); !errors.Is(err, ErrUnknown) {
		t.Fatalf("Reschedule(b) = %v", err)
	}
	if got := slices.Collect(w.Pending()); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("Pending = %v", got)
	}
	if !w.Cancel("a") || w.Len() != 0 {
		t.Fatal("cancel failed")
	}
}

func TestDeadlineStopped(t *testing.T) {
	var calls atomic.Int32
	stop := Deadline(context.Background(), 20*time.Millisecond, func() { calls.Add(1) })
	stop()
	stop()
	time.Sleep(40 * time.Millisecond)
	if calls.Load() != 0 {
		t.Fatal("deadline fired after stop")
	}
}
