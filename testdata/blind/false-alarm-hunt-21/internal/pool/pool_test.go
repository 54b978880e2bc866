package pool

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
)

func TestMapKeepsOrder(t *testing.T) {
	in := []int{5, 3, 9, 1}
	got, err := Map(context.Background(), in, 3, func(_ context.Context, v int) (string, error) {
		return strconv.Itoa(v * 2), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"10", "6", "18", "2"}) {
		t.Fatalf("got %v", got)
	}
}

func TestMapCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Map(ctx, []int{1, 2, 3}, 2, func(context.Context, int) (int, error) { return 0, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestStreamClosesOutput(t *testing.T) {
	in := make(chan int)
	go func() {
		defer close(in)
		for i := range 10 {
			in <- i
		}
	}()
	sum := 0
	for v := range Stream(in, 3, func(v int) int { return v * v }) {
		sum += v
	}
	if sum != 285 {
		t.Fatalf("sum = %d", sum)
	}
}

func TestDrainAllJoinsErrors(t *testing.T) {
	in := make(chan int, 4)
	for i := range 4 {
		in <- i
	}
	close(in)
	err := DrainAll(in, 2, func(v int) error {
		if v%2 == 1 {
			return errors.New("odd " + strconv.Itoa(v))
		}
		return nil
	})
	if err == nil {
		t.Fatal("expected errors")
	}
}
