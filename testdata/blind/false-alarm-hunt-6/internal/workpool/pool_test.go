package workpool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestPoolRunsAll(t *testing.T) {
	p := New(context.Background(), 3)
	var n atomic.Int32
	for i := 0; i < 20; i++ {
		p.Submit(func(context.Context) error {
			n.Add(1)
			return nil
		})
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 20 {
		t.Fatalf("ran %d", n.Load())
	}
}

func TestPanicBecomesError(t *testing.T) {
	res := Run(context.Background(), 2, []Task{
		func(context.Context) error { panic("boom") },
		func(context.Context) error { return nil },
	})
	if res[0].Err == nil || res[1].Err != nil {
		t.Fatalf("results = %+v", res)
	}
}

func TestFirstError(t *testing.T) {
	want := errors.New("bad")
	err := FirstError(context.Background(), []Task{
		func(context.Context) error { return nil },
		func(context.Context) error { return want },
		func(context.Context) error { return nil },
	})
	if !errors.Is(err, want) {
		t.Fatalf("err = %v", err)
	}
}

func TestMapKeepsOrder(t *testing.T) {
	got := Map(context.Background(), 4, []int{1, 2, 3, 4, 5}, func(_ context.Context, v int) int { return v * v })
	for i, v := range got {
		if v != (i+1)*(i+1) {
			t.Fatalf("got %v", got)
		}
	}
}

func TestSizes(t *testing.T) {
	if got := Sizes([]string{"a", "bbb"}); got[0] != 1 || got[1] != 3 {
		t.Fatalf("got %v", got)
	}
}
