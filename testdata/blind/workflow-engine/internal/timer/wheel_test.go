package timer

import (
	"errors"
	"testing"
	"time"
)

func TestScheduleFires(t *testing.T) {
	w := NewWheel(4)
	defer w.Stop()
	if _, err := w.Schedule("t1", "wf-1", time.Now().Add(10*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-w.C():
		if f.ID != "t1" || f.WorkflowID != "wf-1" {
			t.Fatalf("fired %+v", f)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("timer did not fire")
	}
}

func TestCancelPreventsDelivery(t *testing.T) {
	w := NewWheel(4)
	defer w.Stop()
	cancel, err := w.Schedule("t1", "wf-1", time.Now().Add(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case f := <-w.C():
		t.Fatalf("canceled timer fired: %+v", f)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestDuplicateID(t *testing.T) {
	w := NewWheel(1)
	defer w.Stop()
	at := time.Now().Add(time.Hour)
	if _, err := w.Schedule("same", "wf", at); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Schedule("same", "wf", at); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second Schedule: %v", err)
	}
	if got := len(w.Pending()); got != 1 {
		t.Fatalf("%d pending timers, want 1", got)
	}
}
