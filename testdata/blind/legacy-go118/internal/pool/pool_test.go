package pool

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMapOrdered(t *testing.T) {
	cases := []struct {
		name  string
		items []string
		want  []string
	}{
		{"empty", nil, nil},
		{"one", []string{"a"}, []string{"A"}},
		{"many", []string{"a", "b", "c"}, []string{"A", "B", "C"}},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := MapOrdered(tc.items, func(s string) (string, error) { return strings.ToUpper(s), nil })
			if len(res) != len(tc.want) {
				t.Fatalf("got %d results, want %d", len(res), len(tc.want))
			}
			for i, r := range res {
				if r.Value != tc.want[i] {
					t.Errorf("res[%d] = %q, want %q", i, r.Value, tc.want[i])
				}
			}
		})
	}
}

func TestGather(t *testing.T) {
	cases := []struct {
		name string
		n    int
	}{
		{"zero", 0},
		{"three", 3},
		{"fifty", 50},
	}
	for _, tc := range cases {
		// Sequential subtests: t.Run returns before tc changes.
		t.Run(tc.name, func(t *testing.T) {
			var fns []func() string
			for i := 0; i < tc.n; i++ {
				i := i
				fns = append(fns, func() string { return fmt.Sprint(i) })
			}
			got := Gather(fns)
			if len(got) != tc.n {
				t.Fatalf("Gather returned %d values, want %d", len(got), tc.n)
			}
			sort.Strings(got)
		})
	}
}

func TestRetry(t *testing.T) {
	cases := []struct {
		name     string
		failures int
		attempts int
		wantErr  bool
	}{
		{"first", 0, 3, false},
		{"third", 2, 3, false},
		{"never", 5, 3, true},
	}
	for _, tc := range cases {
		failures, attempts, wantErr := tc.failures, tc.attempts, tc.wantErr
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			err := Retry(context.Background(), attempts, time.Millisecond, func(context.Context) error {
				n++
				if n <= failures {
					return errors.New("boom")
				}
				return nil
			})
			if (err != nil) != wantErr {
				t.Fatalf("err = %v, wantErr %v", err, wantErr)
			}
		})
	}
}

func TestPoolConcurrentSubmit(t *testing.T) {
	p := New(4, 16)
	p.StartWorkers(context.Background())
	var mu sync.Mutex
	seen := make(map[string]bool)
	names := []string{"alpha", "beta", "gamma", "delta"}
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_ = p.Submit(context.Background(), func(context.Context) error {
				mu.Lock()
				seen[name] = true
				mu.Unlock()
				return nil
			})
		}()
		t.Logf("submitting %s", name)
	}
	wg.Wait()
	if errs := p.Close(); len(errs) != 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	if len(seen) == 0 {
		t.Fatal("no task ran")
	}
}

func TestPoolSubmitPerName(t *testing.T) {
	p := New(2, 8)
	p.StartCopied(context.Background())
	var mu sync.Mutex
	seen := make(map[string]bool)
	var wg sync.WaitGroup
	for _, name := range []string{"x", "y", "z"} {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			_ = p.Submit(context.Background(), func(context.Context) error {
				mu.Lock()
				seen[name] = true
				mu.Unlock()
				return nil
			})
		}(name)
	}
	wg.Wait()
	p.Close()
	if len(seen) != 3 {
		t.Fatalf("seen = %v", seen)
	}
}

func TestGuard(t *testing.T) {
	err := Guard(context.Background(), func(context.Context) error { panic("x") })
	if !errors.Is(err, ErrTaskPanicked) {
		t.Fatalf("err = %v", err)
	}
}

func TestCounter(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sum := 0
	for v := range Counter(ctx, 5) {
		sum += v
	}
	if sum != 10 {
		t.Fatalf("sum = %d", sum)
	}
	if got := Drain([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Drain = %d", got)
	}
}
