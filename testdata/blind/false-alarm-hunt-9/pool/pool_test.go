package pool_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"example.com/falsealarm9/pool"
	"example.com/falsealarm9/testutil"
)

func TestMapPreservesOrder(t *testing.T) {
	p := pool.New(testutil.Context(t), 4)
	defer testutil.MustClose(t, p)
	got, err := pool.Map(testutil.Context(t), p, []int{1, 2, 3, 4}, func(_ context.Context, n int) (int, error) {
		return n * 10, nil
	})
	if err != nil || !slices.Equal(got, []int{10, 20, 30, 40}) {
		t.Fatalf("Map = %v, %v", got, err)
	}
}

func TestPanicBecomesError(t *testing.T) {
	p := pool.New(context.Background(), 1)
	_ = p.Submit(context.Background(), func(context.Context) error { panic("boom") })
	err := p.Close()
	var pe *pool.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Close error = %v, want a *PanicError", err)
	}
}

func TestGateWaitCanceled(t *testing.T) {
	g := pool.NewGate()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v", err)
	}
	g.Open()
	if err := g.Wait(context.Background()); err != nil {
		t.Fatalf("Wait after Open = %v", err)
	}
}

func TestGoRecoversPanic(t *testing.T) {
	errc := pool.Go(func() error { panic("boom") })
	if err := testutil.Recv(t, errc, time.Second); err == nil {
		t.Fatal("want error")
	}
}
