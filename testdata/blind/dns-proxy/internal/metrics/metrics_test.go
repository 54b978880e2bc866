package metrics

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCounterConcurrent(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				r.Counter("queries").Inc()
			}
		}()
	}
	wg.Wait()
	if got := r.Counter("queries").Load(); got != 8000 {
		t.Fatalf("queries = %d, want 8000", got)
	}
}

func TestWriteText(t *testing.T) {
	r := NewRegistry()
	r.Counter("cache_hits").Add(3)
	r.Observe("lookup_seconds", 2*time.Millisecond)
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{"cache_hits 3", `lookup_seconds_bucket{le="0.0025"} 1`, "lookup_seconds_count 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
