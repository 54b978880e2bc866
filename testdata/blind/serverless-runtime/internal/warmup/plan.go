// Package warmup predicts per-function demand from recent history and
// pre-warms sandboxes ahead of it.
package warmup

import (
	"context"
	"log"
	"math"
	"sync"
	"time"

	"example.com/faas/internal/sandbox"
)

// Forecast is the expected concurrency of one function.
type Forecast struct {
	Function string
	Expected int
	At       time.Time
}

// Scheduler turns invocation history into pre-warm actions.
type Scheduler struct {
	pool     *sandbox.Pool
	window   int
	maxPerFn int
	stagger  time.Duration
	logf     func(format string, args ...any)

	mu      sync.Mutex
	history map[string][]int // per-minute concurrency samples
}

// NewScheduler returns a scheduler averaging over window samples.
func NewScheduler(pool *sandbox.Pool, window, maxPerFn int) *Scheduler {
	if window <= 0 {
		window = 10
	}
	return &Scheduler{
		pool:     pool,
		window:   window,
		maxPerFn: maxPerFn,
		stagger:  50 * time.Millisecond,
		logf:     log.Printf,
		history:  make(map[string][]int),
	}
}

// Record adds one concurrency sample for fn.
func (s *Scheduler) Record(fn string, concurrency int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := append(s.history[fn], concurrency)
	if len(h) > s.window*4 {
		h = h[len(h)-s.window*4:]
	}
	s.history[fn] = h
}

// movingAverage averages the last window samples of xs.
func movingAverage(xs []int, window int) float64 {
	if len(xs) == 0 {
		return 0
	}
	if len(xs) > window {
		xs = xs[len(xs)-window:]
	}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(len(xs))
}

// Plan forecasts every function with history.
func (s *Scheduler) Plan(now time.Time) []Forecast {
	s.mu.Lock()
	defer s.mu.Unlock()
	plan := make([]Forecast, 0, len(s.history))
	for fn, h := range s.history {
		n := int(math.Ceil(movingAverage(h, s.window)))
		if s.maxPerFn > 0 && n > s.maxPerFn {
			n = s.maxPerFn
		}
		if n > 0 {
			plan = append(plan, Forecast{Function: fn, Expected: n, At: now})
		}
	}
	return plan
}

// warm pre-warms n sandboxes of fn and logs failures.
func (s *Scheduler) warm(ctx context.Context, fn string, n int) {
	if err := s.pool.Prewarm(ctx, fn, n); err != nil {
		s.logf("warmup %s: %v", fn, err)
	}
}

// Run plans and warms every interval until ctx is done.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.WarmAll(ctx, s.Order(s.Plan(now)))
		}
	}
}

// WarmParallel warms the plan with one goroutine per function.
func (s *Scheduler) WarmParallel(ctx context.Context, plan []Forecast) {
	var wg sync.WaitGroup
	for _, f := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.warm(ctx, f.Function, f.Expected)
		}()
		s.logf("warmup: scheduled %d sandboxes for %s", f.Expected, f.Function)
	}
	wg.Wait()
}
