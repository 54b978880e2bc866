package group

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
)

func TestMapSliceOrder(t *testing.T) {
	got, err := MapSlice(context.Background(), []int{1, 2, 3}, func(_ context.Context, n int) (int, error) {
		return n * n, nil
	})
	if err != nil || !slices.Equal(got, []int{1, 4, 9}) {
		t.Fatalf("MapSlice = %v, %v", got, err)
	}
}

func TestGoSafeReportsPanic(t *testing.T) {
	var g Group
	g.GoSafe(func() error { panic("boom") })
	if err := g.Wait(); err == nil {
		t.Fatal("expected panic error")
	}
}

func TestTryEachJoinsErrors(t *testing.T) {
	boom := errors.New("boom")
	err := TryEach([]int{1, 2, 3}, func(n int) error {
		if n == 2 {
			return boom
		}
		if n == 3 {
			panic("three")
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestPoolRunsJobs(t *testing.T) {
	p := NewPool(context.Background(), 8)
	p.Grow(2)
	var n atomic.Int32
	for range 5 {
		if err := p.Submit(context.Background(), func(context.Context) error {
			n.Add(1)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	p.Stop()
	if n.Load() != 5 {
		t.Fatalf("ran %d jobs", n.Load())
	}
}

func TestBusPublishAll(t *testing.T) {
	b := NewBus[int](nil)
	var sum atomic.Int64
	b.Subscribe(func(v int) { sum.Add(int64(v)) })
	b.Subscribe(func(int) { panic("bad subscriber") })
	if err := b.PublishAll(3); err == nil {
		t.Fatal("expected the panic as an error")
	}
	if sum.Load() != 3 {
		t.Fatalf("sum = %d", sum.Load())
	}
}
