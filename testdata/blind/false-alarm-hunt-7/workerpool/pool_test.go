package workerpool

import (
	"context"
	"errors"
	"sort"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolRunsAndStops(t *testing.T) {
	var panics atomic.Int32
	p := New(3, 10, Hooks{OnPanic: func(any) { panics.Add(1) }})
	var n atomic.Int32
	for i := range 10 {
		job := func(context.Context) error {
			n.Add(1)
			if i == 3 {
				panic("job 3")
			}
			return nil
		}
		if err := p.Submit(context.Background(), job); err != nil {
			t.Fatal(err)
		}
	}
	p.Stop()
	p.Stop()
	if n.Load() != 10 || panics.Load() != 1 {
		t.Fatalf("n=%d panics=%d", n.Load(), panics.Load())
	}
	if err := p.Submit(context.Background(), nil); !errors.Is(err, ErrStopped) {
		t.Fatalf("err = %v", err)
	}
}

func TestPipeline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	sq := Map(ctx, 4, Generate(ctx, []int{1, 2, 3, 4}), func(v int) int { return v * v })
	got := DrainAll(ctx, Filter(ctx, sq, func(v int) bool { return v > 1 }))
	sort.Ints(got)
	if len(got) != 3 || got[0] != 4 || got[2] != 16 {
		t.Fatalf("got %v", got)
	}
}

func TestOrderedMap(t *testing.T) {
	got := OrderedMap([]string{"a", "bb", "ccc"}, 2, func(s string) int { return len(s) })
	for i, want := range []int{1, 2, 3} {
		if got[i] != want {
			t.Fatalf("got %v", got)
		}
	}
}

func TestRunAllSafeConvertsPanics(t *testing.T) {
	err := RunAllSafe(context.Background(), []Job{
		func(context.Context) error { return nil },
		func(context.Context) error { panic("x") },
	})
	if err == nil {
		t.Fatal("want error")
	}
}

func TestFirst(t *testing.T) {
	v, err := First(context.Background(),
		func(context.Context) (int, error) { return 0, errors.New("no") },
		func(context.Context) (int, error) { return 7, nil },
	)
	if err != nil || v != 7 {
		t.Fatalf("v=%d err=%v", v, err)
	}
}
