package async

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestAwaitHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	defer close(release)
	_, err := Await(ctx, func() (int, error) {
		<-release
		return 1, nil
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Await() error = %v, want deadline exceeded", err)
	}
}

func TestCollectAndStream(t *testing.T) {
	got := Collect(func() int { return 1 }, func() int { return 2 }, func() int { return 3 })
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("Collect = %v", got)
	}

	var streamed []int
	for v := range Stream(context.Background(), func(yield func(int) bool) {
		for i := range 3 {
			if !yield(i) {
				return
			}
		}
	}) {
		streamed = append(streamed, v)
	}
	if len(streamed) != 3 {
		t.Fatalf("Stream delivered %v", streamed)
	}
}
