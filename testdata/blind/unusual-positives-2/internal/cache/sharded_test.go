package cache

import (
	"sync"
	"testing"
)

func TestCountersConcurrentAdd(t *testing.T) {
	c := NewCounters()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				c.Add("hits", 1)
			}
		}()
	}
	wg.Wait()
	if got := c.Get("hits"); got != 800 {
		t.Fatalf("hits = %d, want 800", got)
	}
}

func TestRegistryEach(t *testing.T) {
	cases := []struct {
		name string
		ids  []string
	}{
		{"empty", nil},
		{"two", []string{"b", "a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := NewRegistry[int]()
			for i, id := range tc.ids {
				r.Register(id, i)
			}
			var seen []string
			r.Each(func(id string, _ int) { seen = append(seen, id) })
			if len(seen) != len(tc.ids) {
				t.Fatalf("saw %v, want %d ids", seen, len(tc.ids))
			}
		})
	}
}

func TestWithdrawUnlocks(t *testing.T) {
	c := NewCounters()
	if err := c.Withdraw("k", 5); err == nil {
		t.Fatal("expected error on empty counter")
	}
	c.Add("k", 1)
	if got := c.Get("k"); got != 1 {
		t.Fatalf("k = %d", got)
	}
}
