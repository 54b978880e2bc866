package window

import (
	"sync"
	"testing"
	"time"
)

func TestTumblingAggregates(t *testing.T) {
	s := NewTumbling(time.Minute)
	base := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, v := range []float64{3, 1, 2} {
		s.Add("k", base.Add(time.Duration(i)*time.Second), v)
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("open windows = %d, want 1", n)
	}
}

func TestConcurrentAdd(t *testing.T) {
	s := NewSliding(time.Minute, 10*time.Second)
	base := time.Now()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				s.Add("key", base.Add(time.Duration(i*j)*time.Millisecond), float64(j))
			}
		}()
	}
	wg.Wait()
	if s.Len() == 0 {
		t.Fatal("no windows after concurrent adds")
	}
}
