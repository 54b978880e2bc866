package worker

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

func TestGroupJoinsErrorsAndPanics(t *testing.T) {
	g, _ := NewGroup(context.Background(), slog.New(slog.DiscardHandler))
	g.Go(func() error { return errors.New("boom") })
	g.Go(func() error { panic("kaboom") })
	g.Go(func() error { return nil })
	err := g.Wait()
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "kaboom") {
		t.Fatalf("Wait() = %v", err)
	}
}

func TestRunStageClosesOut(t *testing.T) {
	ctx := t.Context()
	in := Generate(ctx, slices.Values([]int{1, 2, 3, 4}))
	out := make(chan int)
	errc := make(chan error, 1)
	go func() {
		errc <- RunStage(ctx, in, out, 3, func(_ context.Context, v int) (int, error) { return v * v, nil })
	}()
	got, err := Collect(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 4, 9, 16}) {
		t.Fatalf("got %v", got)
	}
}

func TestParallelMapKeepsOrder(t *testing.T) {
	got := ParallelMap([]string{"a", "bb", "ccc"}, 2, func(s string) int { return len(s) })
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("got %v", got)
	}
}
