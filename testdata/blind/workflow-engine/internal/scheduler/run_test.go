package scheduler

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"

	"example.com/wfengine/internal/lease"
)

func TestRunStopsOnCancel(t *testing.T) {
	leader := lease.NewLeader(time.Minute, nil)
	leader.TryAcquire("n1")
	s := New(Config{NodeID: "n1"}, NewQueue(), nil, leader, nil, log.New(io.Discard, "", 0))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, 5*time.Millisecond) }() // HAZ goroutine-blocked-send
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestTickReturnsExpiredLeases(t *testing.T) {
	q := NewQueue()
	s := New(Config{NodeID: "n1"}, q, nil, nil, nil, log.New(io.Discard, "", 0))
	now := time.Unix(1_700_000_000, 0)
	if err := q.Push(&Task{ID: "t1"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Poll("w1", time.Second, now); !ok {
		t.Fatal("no task to lease")
	}
	if n := s.Tick(now.Add(2 * time.Second)); n != 1 {
		t.Fatalf("Tick returned %d leases, want 1", n)
	}
}

func TestProbeLoadsHonoursDeadline(t *testing.T) {
	s := New(Config{NodeID: "n1"}, NewQueue(), nil, nil, nil, log.New(io.Discard, "", 0))
	s.SetProbe(func(w string) (int, error) {
		if w == "slow" {
			time.Sleep(200 * time.Millisecond)
		}
		return 1, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	loads := s.probeLoads(ctx, []string{"fast", "slow"})
	if _, ok := loads["slow"]; ok {
		t.Fatal("slow worker answered before the deadline")
	}
}
