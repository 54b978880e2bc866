package metrics

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHistogramObserve(t *testing.T) {
	h := NewHistogram("lat", DefBuckets)
	for _, v := range []float64{0.001, 0.2, 3} {
		h.Observe(v)
	}
	if h.Count() != 3 {
		t.Fatalf("count = %d", h.Count())
	}
}

func TestTimerObservesOnDefer(t *testing.T) {
	h := NewHistogram("op", DefBuckets)
	func() {
		timer := NewTimer(h)
		defer timer.ObserveDuration()
		time.Sleep(time.Millisecond)
	}()
	if h.Count() != 1 || h.Mean() <= 0 {
		t.Fatalf("count=%d mean=%g", h.Count(), h.Mean())
	}
}

func TestRegistryConcurrent(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Histogram("shared").Observe(float64(i))
			r.Counter("calls").Inc()
		}()
	}
	wg.Wait()
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "calls_total 8") {
		t.Fatalf("output:\n%s", sb.String())
	}
}
