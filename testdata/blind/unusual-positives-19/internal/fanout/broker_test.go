package fanout

import (
	"context"
	"errors"
	"testing"
	"time"
)

type sliceSource []Event

func (s sliceSource) Run(ctx context.Context, out chan<- Event) error {
	for _, ev := range s {
		select {
		case out <- ev:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func okDeliver(ctx context.Context, replica string, ev Event) Ack {
	return Ack{Replica: replica, OK: true}
}

func TestDrainPublishesEverything(t *testing.T) {
	b := NewBroker([]string{"r1"}, okDeliver, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n, err := b.Drain(ctx, "t", []Source{sliceSource{{Seq: 1}, {Seq: 2}}, sliceSource{{Seq: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("published %d, want 3", n)
	}
}

func TestQuorumWrite(t *testing.T) {
	failing := errors.New("down")
	deliver := func(ctx context.Context, replica string, ev Event) Ack {
		if replica == "r3" {
			return Ack{Replica: replica, Err: failing}
		}
		return Ack{Replica: replica, OK: true}
	}
	b := NewBroker([]string{"r1", "r2", "r3"}, deliver, nil)
	if err := b.QuorumWrite(context.Background(), Event{Topic: "t"}); err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotStopsAtLimit(t *testing.T) {
	b := NewBroker([]string{"r1"}, okDeliver, nil)
	for i := 0; i < 5; i++ {
		b.Publish(Event{Topic: "a", Seq: uint64(i)})
		b.Publish(Event{Topic: "b", Seq: uint64(i)})
	}
	seen := map[string]int{}
	got := b.Snapshot([]string{"a", "b"}, 10, 3, func(topic string, n int) { seen[topic] = n })
	if len(got["a"]) != 5 || seen["a"] != 5 {
		t.Fatalf("a: got %d events, reported %d", len(got["a"]), seen["a"])
	}
	if _, ok := seen["b"]; ok {
		t.Fatal("b visited after the limit was reached")
	}
}
