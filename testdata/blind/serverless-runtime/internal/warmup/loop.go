package warmup

import (
	"context"
	"fmt"
	"time"
)

// Forget drops the history of a deleted function.
func (s *Scheduler) Forget(fn string) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.history[fn]; ok {
		delete(s.history, fn)
		s.mu.Unlock()
	}
}

// ForgetAll drops the history of several functions.
func (s *Scheduler) ForgetAll(fns []string) int {
	s.mu.Lock()
	n := 0
	for _, fn := range fns {
		if _, ok := s.history[fn]; ok {
			delete(s.history, fn)
			n++
		}
	}
	s.mu.Unlock()
	return n
}

// Sample records the pool's busy counts every interval. It runs for the
// life of the process.
func (s *Scheduler) Sample(every time.Duration) {
	for {
		time.Sleep(every)
		busy := s.pool.Stats().Busy
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-infinite-loop defer-in-loop
		for fn, n := range busy {
			s.history[fn] = append(s.history[fn], n)
		}
	}
}

// SampleUntil is Sample with the lock scoped to each sample and a way out.
func (s *Scheduler) SampleUntil(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		busy := s.pool.Stats().Busy
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			for fn, n := range busy {
				s.history[fn] = append(s.history[fn], n)
			}
		}()
	}
}

// warmQuietly is warm for best-effort background pre-warming.
func (s *Scheduler) warmQuietly(ctx context.Context, fn string, n int) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	s.warm(ctx, fn, n)
}

// warmLogged is warm for background pre-warming that reports panics.
func (s *Scheduler) warmLogged(ctx context.Context, fn string, n int) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("warmup %s: panic: %v", fn, r)
		}
	}()
	s.warm(ctx, fn, n)
}

// PlanAndWarm plans once and warms each function in the background,
// turning a panic while planning into an error.
func (s *Scheduler) PlanAndWarm(ctx context.Context, now time.Time) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("warmup: planning panicked: %v", r)
		}
	}()
	for _, f := range s.Order(s.Plan(now)) {
		go s.warm(ctx, f.Function, f.Expected) // HAZ goroutine-outside-recover
		n++
	}
	return n, nil
}

// PlanAndWarmLogged is PlanAndWarm whose goroutines recover on their own.
func (s *Scheduler) PlanAndWarmLogged(ctx context.Context, now time.Time) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("warmup: planning panicked: %v", r)
		}
	}()
	for _, f := range s.Order(s.Plan(now)) {
		go s.warmLogged(ctx, f.Function, f.Expected)
		n++
	}
	return n, nil
}

// Background warms the plan without waiting, best effort.
func (s *Scheduler) Background(ctx context.Context, plan []Forecast) {
	for _, f := range plan {
		go s.warmQuietly(ctx, f.Function, f.Expected)
	}
}
