//go:build go1.22

package matrix

import (
	"context"
	"sync"
)

// RunAll runs fn for every combo, at most limit at a time, and returns the
// errors indexed like combos. This file requires Go 1.22 semantics: each
// iteration has its own i and c.
func RunAll(ctx context.Context, combos []Combo, limit int, fn func(context.Context, Combo) error) []error {
	if limit < 1 {
		limit = 1
	}
	errs := make([]error, len(combos))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, c := range combos {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			errs[i] = fn(ctx, c)
			<-sem
		}()
	}
	wg.Wait()
	return errs
}

// Probe starts one readiness probe per combo until ctx is canceled and
// returns how many were started and the first error among them.
func Probe(ctx context.Context, combos []Combo, probe func(context.Context, Combo) error) (int, error) {
	errc := make(chan error, len(combos))
	var i int
	for i = 0; i < len(combos) && ctx.Err() == nil; i++ {
		go func() { // HAZ loop-var-capture
			errc <- probe(ctx, combos[i])
		}()
	}
	var first error
	for n := 0; n < i; n++ {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return i, first
}
