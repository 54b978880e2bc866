package work

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestBatch(t *testing.T) {
	err := Batch([]int{1, 2, 3, 4, 5}, 2, func(c []int) error {
		if slices.Contains(c, 5) {
			return errors.New("five")
		}
		return nil
	})
	if err == nil || err.Error() != "five" {
		t.Fatalf("Batch error = %v, want five", err)
	}
}

func TestStream(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	total := 0
	for v := range Stream(ctx, []int{1, 2, 3}, func(i int) int { return i * i }) {
		total += v
	}
	if total != 14 {
		t.Fatalf("total = %d, want 14", total)
	}
}
