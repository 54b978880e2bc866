package async

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestFirstSuccessSkipsFailures(t *testing.T) {
	ctx := context.Background()
	bad := func(context.Context) (int, error) { return 0, errors.New("bad") }
	slow := func(ctx context.Context) (int, error) {
		select {
		case <-time.After(10 * time.Millisecond):
			return 2, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	v, err := FirstSuccess(ctx, bad, slow)
	if err != nil || v != 2 {
		t.Fatalf("FirstSuccess = %d, %v", v, err)
	}
}

func TestAllKeepsOrder(t *testing.T) {
	mk := func(n int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return n, nil }
	}
	got, err := All(context.Background(), mk(1), mk(2), mk(3))
	if err != nil || !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("All = %v, %v", got, err)
	}
}

func TestFuturePanicBecomesError(t *testing.T) {
	f := Start(func() (int, error) { panic("boom") })
	if _, err := f.Await(context.Background()); err == nil {
		t.Fatal("expected error from panicking future")
	}
}

func TestWithTimeoutGivesUp(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	_, err := WithTimeout(context.Background(), time.Millisecond, func(ctx context.Context) (int, error) {
		<-block
		return 1, nil
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestMergeClosesOut(t *testing.T) {
	ctx := context.Background()
	a := Stream(ctx, slices.Values([]int{1, 2}))
	b := Stream(ctx, slices.Values([]int{3}))
	got, err := Collect(ctx, Merge(ctx, a, b))
	if err != nil || len(got) != 3 {
		t.Fatalf("Collect = %v, %v", got, err)
	}
}
