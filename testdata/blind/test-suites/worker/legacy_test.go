//go:build go1.21

// These tests predate the module's move to Go 1.22. The build constraint
// pins the file to go1.21 semantics: loop variables are shared across
// iterations here.

package worker

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLegacyConcurrentSubmit(t *testing.T) {
	p := newTestPool(t, okHandler, 4)
	var wg sync.WaitGroup
	var rejected atomic.Int32
	for _, j := range jobs(8, "capture") {
		wg.Add(1)
		go func() { defer wg.Done(); rejected.Add(submitOrCount(p, j)) }() // HAZ loop-var-capture
		t.Logf("queued %s", j.ID)
	}
	wg.Wait()
	collect(t, p, 8-int(rejected.Load()))
}

func submitOrCount(p *Pool, j Job) int32 {
	if p.TrySubmit(j) {
		return 0
	}
	return 1
}

func TestLegacyFanAllCopiesLoopVar(t *testing.T) {
	p := New(okHandler, 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for _, j := range jobs(5, "capture") {
		j := j
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := p.run(context.Background(), j)
			mu.Lock()
			defer mu.Unlock()
			seen[res.JobID] = true
		}()
	}
	wg.Wait()
	if len(seen) != 5 {
		t.Fatalf("saw %d distinct jobs, want 5", len(seen))
	}
}

func TestLegacyPassesLoopVarAsArgument(t *testing.T) {
	p := New(okHandler, 1)
	results := make(chan Result, 4)
	for i, j := range jobs(4, "capture") {
		go func(n int, j Job) {
			j.Attempt = n
			results <- p.run(context.Background(), j)
		}(i, j)
	}
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		seen[(<-results).JobID] = true
	}
	if len(seen) != 4 {
		t.Fatalf("saw %d distinct jobs, want 4", len(seen))
	}
}
