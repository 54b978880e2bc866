package fanout

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestHedgeReturnsFastest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	slow := func(ctx context.Context) (string, error) {
		select {
		case <-time.After(200 * time.Millisecond):
			return "slow", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	fast := func(context.Context) (string, error) { return "fast", nil }
	got, err := Hedge(ctx, slow, fast)
	if err != nil || got != "fast" {
		t.Fatalf("Hedge = %q, %v; want fast, nil", got, err)
	}
}

func TestChunksCoversEveryItem(t *testing.T) {
	items := []int{1, 2, 3, 4, 5, 6, 7}
	var mu sync.Mutex
	var seen []int
	parts := Chunks(items, 3, func(_ int, part []int) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, part...)
	})
	slices.Sort(seen)
	if parts != 3 || !slices.Equal(seen, items) {
		t.Fatalf("Chunks: parts=%d seen=%v", parts, seen)
	}
}

func TestMapBoundedJoinsErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := MapBounded(context.Background(), 2, []int{1, 2, 3}, func(_ context.Context, v int) (int, error) {
		if v == 2 {
			return 0, boom
		}
		return v * 10, nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("MapBounded error = %v, want boom", err)
	}
}
