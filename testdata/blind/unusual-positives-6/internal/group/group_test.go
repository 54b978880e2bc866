package group

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestGroupReportsFirstErrorAndCancels(t *testing.T) {
	g, ctx := WithContext(context.Background())
	g.SetLimit(2)
	boom := errors.New("boom")
	g.Go(func() error { return boom })
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	if err := g.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait() = %v, want %v", err, boom)
	}
}

func TestForEachVisitsAll(t *testing.T) {
	var sum atomic.Int64
	ForEach([]int64{1, 2, 3, 4, 5}, 2, func(v int64) { sum.Add(v) })
	if got := sum.Load(); got != 15 {
		t.Fatalf("sum = %d, want 15", got)
	}
}
