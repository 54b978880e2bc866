package aggregate

import (
	"math"
	"sync"
	"testing"
)

func TestStatMergeMatchesSerial(t *testing.T) {
	xs := []float64{1, 4, 9, 16, 25, 36}
	var all, a, b Stat
	for i, x := range xs {
		all.Add(x)
		if i%2 == 0 {
			a.Add(x)
		} else {
			b.Add(x)
		}
	}
	a.Merge(b)
	if math.Abs(a.Mean-all.Mean) > 1e-12 || math.Abs(a.Variance()-all.Variance()) > 1e-9 {
		t.Errorf("merged %+v, serial %+v", a, all)
	}
}

func TestTableConcurrentObserve(t *testing.T) {
	tab := NewTable()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if err := tab.Observe("k", float64(w)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s, _ := tab.Get("k"); s.N != 800 {
		t.Fatalf("N = %d, want 800", s.N)
	}
}

func TestFrozenRejects(t *testing.T) {
	tab := NewTable()
	tab.Freeze()
	if err := tab.Observe("k", 1); err != ErrFrozen {
		t.Fatalf("got %v, want ErrFrozen", err)
	}
}

func TestCounterReset(t *testing.T) {
	c := NewCounter()
	c.Inc("a")
	c.Inc("b")
	if n := c.Reset(); n != 2 {
		t.Fatalf("Reset = %d", n)
	}
	if c.Total() != 0 {
		t.Fatal("counter not cleared")
	}
}
