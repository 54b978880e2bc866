package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"
)

func square(x float64) (float64, error) { return x * x, nil }

func TestMapCollect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	xs := []float64{1, 2, 3, 4, 5}
	got, err := Collect(Map(ctx, Source(ctx, xs), 3, square), len(xs), cancel)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		if got[i] != x*x {
			t.Errorf("item %d = %v, want %v", i, got[i], x*x)
		}
	}
}

func TestSolveBoundedTimeout(t *testing.T) {
	slow := func() ([]float64, error) {
		time.Sleep(50 * time.Millisecond)
		return []float64{1}, nil
	}
	_, err := SolveBounded(context.Background(), time.Millisecond, slow)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
}

func TestComputeIntoClosesResults(t *testing.T) {
	res := make(chan Item, 8)
	ComputeInto([]float64{1, 2, 3}, 2, square, res)
	n := 0
	for range res {
		n++
	}
	if n != 3 {
		t.Fatalf("got %d results, want 3", n)
	}
}
