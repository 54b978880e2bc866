//go:build go1.21

// This file needs the slices package, hence the go1.21 constraint.

package warmup

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Order sorts the plan by expected demand, highest first.
func (s *Scheduler) Order(plan []Forecast) []Forecast {
	out := slices.Clone(plan)
	slices.SortFunc(out, func(a, b Forecast) int {
		if c := cmp.Compare(b.Expected, a.Expected); c != 0 {
			return c
		}
		return cmp.Compare(a.Function, b.Function)
	})
	return out
}

// WarmAll warms every function of the plan concurrently.
func (s *Scheduler) WarmAll(ctx context.Context, plan []Forecast) {
	var wg sync.WaitGroup
	for _, f := range plan {
		if f.Expected <= 0 {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.warm(ctx, f.Function, f.Expected)
		}()
		s.logf("warmup: scheduled %d sandboxes for %s", f.Expected, f.Function)
	}
	wg.Wait()
}

// WarmTop warms the k functions with the highest demand.
func (s *Scheduler) WarmTop(ctx context.Context, plan []Forecast, k int) {
	ordered := s.Order(plan)
	if k < len(ordered) {
		ordered = ordered[:k]
	}
	var wg sync.WaitGroup
	for _, f := range ordered {
		wg.Add(1)
		go func(f Forecast) {
			defer wg.Done()
			s.warm(ctx, f.Function, f.Expected)
		}(f)
		s.logf("warmup: top %s", f.Function)
	}
	wg.Wait()
}

// Stagger starts n sandboxes of fn spaced by the scheduler's stagger
// interval, so that their cold starts do not all hit the disk at once.
func (s *Scheduler) Stagger(ctx context.Context, fn string, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			select {
			case <-time.After(time.Duration(i) * s.stagger):
				s.warm(ctx, fn, 1)
			case <-ctx.Done():
			}
		}()
		s.logf("warmup: %s #%d queued", fn, i)
	}
	wg.Wait()
}

// StaggerCopies is Stagger with the loop variable copied per iteration.
func (s *Scheduler) StaggerCopies(ctx context.Context, fn string, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(time.Duration(i) * s.stagger):
				s.warm(ctx, fn, 1)
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// Due returns the forecasts whose time has come.
func (s *Scheduler) Due(plan []Forecast, now time.Time) []Forecast {
	return slices.DeleteFunc(slices.Clone(plan), func(f Forecast) bool {
		return f.At.After(now)
	})
}
