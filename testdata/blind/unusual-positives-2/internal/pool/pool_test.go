package pool

import (
	"context"
	"errors"
	"sort"
	"testing"
)

func TestFanoutJoined(t *testing.T) {
	boom := errors.New("boom")
	err := FanoutJoined([]int{1, 2, 3}, func(i int) error {
		if i == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestMergeWait(t *testing.T) {
	ctx := context.Background()
	var got []int
	for v := range MergeWait(Generate(ctx, 3), Generate(ctx, 2)) {
		got = append(got, v)
	}
	sort.Ints(got)
	if len(got) != 5 {
		t.Fatalf("got %v", got)
	}
}
