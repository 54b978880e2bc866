// Package sim runs Monte Carlo trials and simple numerical integrators.
package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"sync"
	"time"

	"example.com/batchcompute/internal/aggregate"
)

// Trial draws one sample using the given source of randomness.
type Trial func(rng *rand.Rand) (float64, error)

// Estimate is the result of a Monte Carlo run.
type Estimate struct {
	Mean, StdErr float64
	N            int64
	Failures     int64
}

// Run draws n samples of trial over workers goroutines, each with its own seeded source.
func Run(ctx context.Context, trial Trial, n, workers int, seed int64) (Estimate, error) {
	if workers < 1 {
		workers = 1
	}
	type partial struct {
		stat     aggregate.Stat
		failures int64
	}
	results := make(chan partial, workers)
	per := n / workers
	for w := 0; w < workers; w++ {
		count := per
		if w == workers-1 {
			count = n - per*(workers-1)
		}
		go func() {
			rng := rand.New(rand.NewSource(seed + int64(w)))
			var p partial
			for i := 0; i < count && ctx.Err() == nil; i++ {
				x, err := trial(rng)
				if err != nil {
					p.failures++
					continue
				}
				p.stat.Add(x)
			}
			results <- p
		}()
	}
	var total aggregate.Stat
	var failures int64
	for w := 0; w < workers; w++ {
		select {
		case p := <-results:
			total.Merge(p.stat)
			failures += p.failures
		case <-ctx.Done():
			return Estimate{}, ctx.Err()
		}
	}
	return Estimate{Mean: total.Mean, StdErr: total.Std() / math.Sqrt(float64(total.N)), N: total.N, Failures: failures}, nil
}

// RunWithProgress is Run with a goroutine that prints a heartbeat until the run ends.
func RunWithProgress(ctx context.Context, w io.Writer, trial Trial, n, workers int, seed int64) (Estimate, error) {
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		start := time.Now()
		for {
			select {
			case <-t.C:
				fmt.Fprintf(w, "monte carlo: running for %s\n", time.Since(start).Round(time.Second))
			case <-done:
				return
			}
		}
	}()
	return Run(ctx, trial, n, workers, seed)
}

// Stream draws samples of trial into out until n samples were sent; out is closed when
// every worker has finished.
func Stream(ctx context.Context, trial Trial, n, workers int, seed int64, out chan<- float64) error {
	defer close(out)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	per := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed + int64(w)))
			for i := 0; i < per; i++ {
				x, err := trial(rng)
				if err != nil {
					errs[w] = err
					return
				}
				select {
				case out <- x:
				case <-ctx.Done():
					errs[w] = ctx.Err()
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// evalSafe evaluates f at x; ok is false when f panicked.
func evalSafe(f func(float64) float64, x float64) (v float64, ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	return f(x), true
}

// evalChecked evaluates f at x and reports a panic as an error.
func evalChecked(f func(float64) float64, x float64) (v float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("eval at %g: %v", x, r)
		}
	}()
	return f(x), nil
}

// Sweep evaluates f on every point, skipping points where f panics.
func Sweep(f func(float64) float64, xs []float64) (ys []float64, skipped int) {
	ys = make([]float64, 0, len(xs))
	for _, x := range xs {
		v, ok := evalSafe(f, x)
		if !ok {
			skipped++
			continue
		}
		ys = append(ys, v)
	}
	return ys, skipped
}

// SweepChecked evaluates f on every point and stops at the first panic.
func SweepChecked(f func(float64) float64, xs []float64) ([]float64, error) {
	ys := make([]float64, len(xs))
	for i, x := range xs {
		v, err := evalChecked(f, x)
		if err != nil {
			return ys[:i], err
		}
		ys[i] = v
	}
	return ys, nil
}

// Bootstrap resamples xs reps times and returns the standard error of the mean.
func Bootstrap(xs []float64, reps int, seed int64) float64 {
	if len(xs) == 0 || reps < 2 {
		return math.NaN()
	}
	rng := rand.New(rand.NewSource(seed))
	var st aggregate.Stat
	for r := 0; r < reps; r++ {
		var sum float64
		for range xs {
			sum += xs[rng.Intn(len(xs))]
		}
		st.Add(sum / float64(len(xs)))
	}
	return st.Std()
}
