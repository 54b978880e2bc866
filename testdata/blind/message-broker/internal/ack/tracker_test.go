package ack

import (
	"sync"
	"testing"
	"time"
)

func TestAckCommitsFullBatch(t *testing.T) {
	var mu sync.Mutex
	var committed []Delivery
	tr := NewTracker(time.Minute, 3, 2, func(ds []Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		committed = append(committed, ds...)
		return nil
	})
	a := tr.Track(Delivery{Topic: "t", Offset: 1})
	b := tr.Track(Delivery{Topic: "t", Offset: 2})
	if err := tr.Ack(a); err != nil {
		t.Fatal(err)
	}
	if err := tr.Ack(b); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(committed) != 2 {
		t.Fatalf("committed %d, want 2", len(committed))
	}
}

func TestDueMovesToDeadLetters(t *testing.T) {
	tr := NewTracker(time.Millisecond, 1, 10, func([]Delivery) error { return nil })
	tr.Track(Delivery{Topic: "t", Offset: 7})
	if due := tr.Due(time.Now().Add(time.Second)); len(due) != 0 {
		t.Fatalf("due = %v, want none (max attempts reached)", due)
	}
	if dl := tr.DeadLetters(); len(dl) != 1 {
		t.Fatalf("dead letters = %v", dl)
	}
}

func TestRedelivererStops(t *testing.T) {
	tr := NewTracker(time.Millisecond, 5, 10, func([]Delivery) error { return nil })
	r := NewRedeliverer(tr, time.Millisecond, func(Delivery) error { return nil })
	r.Start()
	tr.Track(Delivery{Topic: "t"})
	time.Sleep(5 * time.Millisecond)
	r.Stop()
}
