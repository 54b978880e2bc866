package graph

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestLevelsRespectDeps(t *testing.T) {
	g := New()
	noop := func(context.Context) error { return nil }
	for _, n := range []*Node{
		{ID: "a", Action: noop},
		{ID: "b", Action: noop},
		{ID: "c", Deps: []string{"a", "b"}, Action: noop},
		{ID: "d", Deps: []string{"c"}, Action: noop},
	} {
		if err := g.Add(n); err != nil {
			t.Fatal(err)
		}
	}
	levels := g.Levels()
	if len(levels) != 3 || len(levels[0]) != 2 || levels[2][0] != "d" {
		t.Fatalf("unexpected levels %v", levels)
	}
}

func TestRunLevelClosesAfterAllSends(t *testing.T) {
	g := New()
	var ran atomic.Int32
	fail := errors.New("fail")
	for _, id := range []string{"x", "y", "z"} {
		err := g.Add(&Node{ID: id, Action: func(context.Context) error {
			ran.Add(1)
			if id == "y" {
				return fail
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	out := make(chan Event)
	errc := make(chan error, 1)
	go func() { errc <- g.RunLevel(context.Background(), []string{"x", "y", "z"}, out) }()
	failed := CollectEvents(out)
	if err := <-errc; !errors.Is(err, fail) {
		t.Fatalf("RunLevel error = %v", err)
	}
	if len(failed) != 1 || failed[0] != "y" || ran.Load() != 3 {
		t.Fatalf("failed=%v ran=%d", failed, ran.Load())
	}
}
