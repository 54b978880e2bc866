//go:build go1.22

package pool

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestMapParallel122(t *testing.T) {
	cases := []struct {
		name  string
		items []string
	}{
		{"letters", []string{"a", "b"}},
		{"words", []string{"go", "vet"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // ok: tc is per-iteration in this file
			res := MapOrdered(tc.items, func(s string) (string, error) { return strings.ToUpper(s), nil })
			for i, r := range res {
				if r.Value != strings.ToUpper(tc.items[i]) {
					t.Errorf("%s: res[%d] = %q", tc.name, i, r.Value)
				}
			}
		})
	}
}

func TestSubmitPerName122(t *testing.T) {
	p := New(2, 8)
	p.StartWorkers(context.Background())
	var mu sync.Mutex
	seen := make(map[string]bool)
	var wg sync.WaitGroup
	for _, name := range []string{"x", "y", "z"} {
		wg.Add(1)
		go func() { // ok: per-iteration name
			defer wg.Done()
			_ = p.Submit(context.Background(), func(context.Context) error {
				mu.Lock()
				seen[name] = true
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	p.Close()
	if len(seen) != 3 {
		t.Fatalf("seen = %v", seen)
	}
}
