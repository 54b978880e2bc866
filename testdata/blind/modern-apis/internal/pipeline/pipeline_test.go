package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestMapAndSorted(t *testing.T) {
	ctx := t.Context()
	in := Generate(ctx, slices.Values([]string{"3", "1", "2"}))
	out := Map(ctx, in, 2, func(_ context.Context, s string) (int, error) {
		return strconv.Atoi(s)
	})
	got, err := Sorted(out, func(a, b int) int { return a - b })
	if err != nil || !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestFirstBufferedTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err := FirstBuffered(ctx, func() int {
		time.Sleep(50 * time.Millisecond)
		return 1
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestScatterAll(t *testing.T) {
	boom := errors.New("boom")
	err := ScatterAll([]int{1, 2, 3}, func(i int) error {
		if i == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestPartitionVariants(t *testing.T) {
	data := make([]int, 100)
	for i := range data {
		data[i] = i
	}
	for name, fn := range map[string]func([]int, int) []int{
		"per-iter": PartitionPerIter,
		"arg":      PartitionArg,
	} {
		t.Run(name, func(t *testing.T) {
			total := 0
			for _, s := range fn(data, 4) {
				total += s
			}
			if total != 4950 {
				t.Fatalf("total = %d", total)
			}
		})
	}
}

func TestPoolRecoversPanics(t *testing.T) {
	p := NewPool(4, slog.Default())
	p.Start(t.Context(), 2)
	if err := p.Submit(t.Context(), func(context.Context) error { panic("boom") }); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err == nil {
		t.Fatal("expected the panic as an error")
	}
}

func TestRaceCause(t *testing.T) {
	boom := errors.New("boom")
	err := RaceCause(t.Context(),
		func(ctx context.Context) error { <-ctx.Done(); return nil },
		func(context.Context) error { return boom },
	)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func BenchmarkNotify(b *testing.B) {
	subs := make([]chan<- int, 8)
	for i := range subs {
		subs[i] = make(chan int, 1)
	}
	for b.Loop() {
		Notify(subs, 1)
	}
}
