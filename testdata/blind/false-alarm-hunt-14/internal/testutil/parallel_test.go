//go:build go1.21

package testutil

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func TestFanout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		n, workers int
	}{
		{"more workers than items", 3, 10},
		{"one worker", 5, 1},
		{"zero items", 0, 4},
		{"many", 100, 8},
	}
	for _, tc := range tests {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var seen []int
			Fanout(tc.n, tc.workers, func(_, i int) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, i)
			})
			slices.Sort(seen)
			if len(seen) != tc.n {
				t.Fatalf("saw %d items, want %d", len(seen), tc.n)
			}
			for i, v := range seen {
				if v != i {
					t.Fatalf("item %d missing", i)
				}
			}
		})
	}
}

func TestEach(t *testing.T) {
	t.Parallel()
	var sum atomic.Int64
	Each([]int64{1, 2, 3, 4}, func(v int64) { sum.Add(v) })
	if got := sum.Load(); got != 10 {
		t.Errorf("sum = %d, want 10", got)
	}
}

func TestCheckAllSingleFailure(t *testing.T) {
	t.Parallel()
	got := CheckAll(map[string]func() error{
		"db": func() error { return errors.New("down") },
	})
	if want := []string{"db: down"}; !slices.Equal(got, want) {
		t.Errorf("CheckAll = %q, want %q", got, want)
	}
}

func BenchmarkSquaresSpawn(b *testing.B) {
	squares := make([]int, 64)
	for n := 0; n < b.N; n++ {
		var wg sync.WaitGroup
		wg.Add(len(squares))
		for i := range squares {
			go func(i int) {
				squares[i] = i * i
				wg.Done()
			}(i)
		}
		wg.Wait()
	}
}
