package scheduler

import (
	"context"
	"errors"
	"io"
	"log"
	"path/filepath"
	"testing"
	"time"
)

func TestPollSkipsFutureTasks(t *testing.T) {
	q := NewQueue()
	now := time.Unix(1_700_000_000, 0)
	if err := q.Push(&Task{ID: "later", NotBefore: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := q.Push(&Task{ID: "now"}); err != nil {
		t.Fatal(err)
	}
	got, ok := q.Poll("w1", time.Minute, now)
	if !ok || got.ID != "now" {
		t.Fatalf("Poll = %v, %v; want task now", got, ok)
	}
	if _, ok := q.Poll("w1", time.Minute, now); ok {
		t.Fatal("polled a task that is not due yet")
	}
}

func TestRequeueDelaysRetry(t *testing.T) {
	q := NewQueue()
	now := time.Unix(1_700_000_000, 0)
	if err := q.Push(&Task{ID: "t1", MaxAttempts: 3}); err != nil {
		t.Fatal(err)
	}
	task, _ := q.Poll("w1", time.Minute, now)
	if err := q.Requeue(task.ID, 10*time.Second, now); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Poll("w1", time.Minute, now.Add(5*time.Second)); ok {
		t.Fatal("retry ran before its backoff")
	}
	if _, ok := q.Poll("w1", time.Minute, now.Add(11*time.Second)); !ok {
		t.Fatal("retry not available after its backoff")
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	q := NewQueue()
	for _, id := range []string{"a", "b", "c"} {
		if err := q.Push(&Task{ID: id, Activity: "noop"}); err != nil {
			t.Fatal(err)
		}
	}
	q.Poll("w1", time.Minute, time.Now())
	path := filepath.Join(t.TempDir(), "queue.json")
	if err := q.Snapshot().SaveTo(path); err != nil {
		t.Fatal(err)
	}
	restored, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if pending, leased := restored.Stats(); pending != 3 || leased != 0 {
		t.Fatalf("restored stats = %d pending, %d leased", pending, leased)
	}
}

func TestPickWorkerPrefersIdle(t *testing.T) {
	s := New(Config{NodeID: "n1"}, NewQueue(), nil, nil, nil, log.New(io.Discard, "", 0))
	s.SetProbe(func(w string) (int, error) {
		switch w {
		case "busy":
			return 9, nil
		case "broken":
			return 0, errors.New("unreachable")
		}
		return 1, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	got, err := s.pickWorker(ctx, []string{"busy", "broken", "idle"})
	if err != nil || got != "idle" {
		t.Fatalf("pickWorker = %q, %v", got, err)
	}
}
