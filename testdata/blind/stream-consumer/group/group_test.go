package group

import (
	"errors"
	"io"
	"log"
	"testing"

	"example.com/consumer/broker"
)

func parts(topic string, n int) []broker.TopicPartition {
	out := make([]broker.TopicPartition, n)
	for i := range out {
		out[i] = broker.TopicPartition{Topic: topic, Partition: i}
	}
	return out
}

func TestRangeAssignorBalanced(t *testing.T) {
	got := RangeAssignor{}.Assign([]string{"b", "a", "c"}, parts("t", 7))
	sizes := map[string]int{"a": 3, "b": 2, "c": 2}
	for m, n := range sizes {
		if len(got[m]) != n {
			t.Errorf("member %s got %d partitions, want %d", m, len(got[m]), n)
		}
	}
}

func TestRoundRobinCoversAll(t *testing.T) {
	ps := parts("t", 5)
	got := RoundRobinAssignor{}.Assign([]string{"x", "y"}, ps)
	seen := map[broker.TopicPartition]bool{}
	for _, tps := range got {
		for _, tp := range tps {
			if seen[tp] {
				t.Fatalf("%s assigned twice", tp)
			}
			seen[tp] = true
		}
	}
	if len(seen) != len(ps) {
		t.Fatalf("assigned %d partitions, want %d", len(seen), len(ps))
	}
}

func TestJoinAssignsEveryPartition(t *testing.T) {
	c := NewCoordinator("g", nil, parts("t", 4), log.New(io.Discard, "", 0))
	var last Generation
	c.OnRebalance(func(g Generation) { last = g })
	c.Join("m1")
	gen := c.Join("m2")
	if gen.ID != 2 || last.ID != 2 {
		t.Fatalf("generation = %d (listener saw %d), want 2", gen.ID, last.ID)
	}
	if n := len(c.AssignmentFor("m1")) + len(c.AssignmentFor("m2")); n != 4 {
		t.Fatalf("assigned %d partitions, want 4", n)
	}
}

func TestHeartbeatUnknownMember(t *testing.T) {
	c := NewCoordinator("g", nil, nil, log.New(io.Discard, "", 0))
	if err := c.Heartbeat("ghost"); !errors.Is(err, ErrUnknownMember) {
		t.Fatalf("err = %v, want ErrUnknownMember", err)
	}
}
