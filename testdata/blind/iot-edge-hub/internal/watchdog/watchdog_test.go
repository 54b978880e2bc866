package watchdog

import (
	"errors"
	"testing"
	"time"
)

func TestStale(t *testing.T) {
	now := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	w := New(time.Minute)
	w.Watch(&Target{Name: "fresh", LastBeat: func() time.Time { return now.Add(-10 * time.Second) }})
	w.Watch(&Target{Name: "old", LastBeat: func() time.Time { return now.Add(-5 * time.Minute) }})
	got := w.Stale(now)
	if len(got) != 1 || got[0] != "old" {
		t.Fatalf("Stale = %v", got)
	}
}

func TestRestartCountsFailures(t *testing.T) {
	w := New(time.Minute)
	w.Watch(&Target{Name: "r1", Restart: func() error { return errors.New("port busy") }})
	if err := w.restartByName("r1"); err != nil {
		t.Fatal(err)
	}
	if n := w.Restarts("r1"); n != 1 {
		t.Fatalf("restarts = %d", n)
	}
	select {
	case ev := <-w.Events():
		if ev == "" {
			t.Fatal("empty event")
		}
	default:
		t.Fatal("no event emitted")
	}
}

func TestRestartUnknown(t *testing.T) {
	if err := New(time.Minute).restartByName("nope"); err == nil {
		t.Fatal("unknown target restarted")
	}
}
