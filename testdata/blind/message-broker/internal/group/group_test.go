package group

import (
	"context"
	"testing"
	"time"
)

func countParts(a map[string][]int) int {
	n := 0
	for _, ps := range a {
		n += len(ps)
	}
	return n
}

func TestRangeStrategy(t *testing.T) {
	plan := RangeStrategy{}.Assign([]string{"b", "a"}, map[string]int{"orders": 5})
	if got := countParts(plan["a"]) + countParts(plan["b"]); got != 5 {
		t.Fatalf("assigned %d partitions, want 5", got)
	}
	if len(plan["a"]["orders"]) != 3 {
		t.Fatalf("a got %v", plan["a"])
	}
}

func TestRoundRobinStrategy(t *testing.T) {
	plan := RoundRobinStrategy{}.Assign([]string{"x", "y", "z"}, map[string]int{"t1": 2, "t2": 2})
	for _, m := range []string{"x", "y", "z"} {
		if countParts(plan[m]) == 0 && m != "z" {
			t.Fatalf("member %s got nothing: %v", m, plan)
		}
	}
}

func TestJoinRebalances(t *testing.T) {
	g := NewGroup("g1", RangeStrategy{}, func(string) int { return 4 }, time.Minute)
	a1 := g.Join(&Member{ID: "m1", Topics: []string{"t"}})
	if countParts(a1.Partitions) != 4 {
		t.Fatalf("single member should own all partitions: %v", a1)
	}
	g.Join(&Member{ID: "m2", Topics: []string{"t"}})
	a, _ := g.Assignment("m1")
	if countParts(a.Partitions) != 2 {
		t.Fatalf("after second join m1 owns %v", a)
	}
}

func TestExpireMembers(t *testing.T) {
	g := NewGroup("g1", RangeStrategy{}, func(string) int { return 2 }, time.Second)
	g.Join(&Member{ID: "old", Topics: []string{"t"}})
	gone := g.ExpireMembers(time.Now().Add(time.Hour))
	if len(gone) != 1 || gone[0] != "old" {
		t.Fatalf("expired %v", gone)
	}
}

func TestAwaitAssignment(t *testing.T) {
	c := NewCoordinator(CoordinatorConfig{PartitionCount: func(string) int { return 1 }, AutoCreate: true})
	if _, err := c.Join("g", &Member{ID: "m", Topics: []string{"t"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	a, err := c.AwaitAssignment(ctx, "g", "m")
	if err != nil {
		t.Fatal(err)
	}
	if a.Generation == 0 {
		t.Fatal("generation not set")
	}
}
