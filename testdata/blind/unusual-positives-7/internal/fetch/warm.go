package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/up7/internal/safe"
)

// Warm fetches every source and hands the results to store; a panic in
// store is reported as an error.
func (f *Fetcher) Warm(ctx context.Context, srcs []Source, store func(Result)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("warm: panic: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, s := range srcs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			store(f.fetchOne(ctx, s))
		}()
	}
	wg.Wait()
	return nil
}

// WarmSafe is Warm where every goroutine recovers its own panic.
func (f *Fetcher) WarmSafe(ctx context.Context, srcs []Source, store func(Result)) (err error) {
	defer safe.Recover(&err)
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	for i, s := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.Recover(&errs[i])
			store(f.fetchOne(ctx, s))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WarmAsync starts the warm-up through safe.GoErr, whose goroutine recovers
// through safe.Do, and waits for every result.
func (f *Fetcher) WarmAsync(ctx context.Context, srcs []Source, store func(Result)) (err error) {
	defer safe.Recover(&err)
	chans := make([]<-chan error, 0, len(srcs))
	for _, s := range srcs {
		chans = append(chans, safe.GoErr(func() error {
			store(f.fetchOne(ctx, s))
			return nil
		}))
	}
	var errs []error
	for _, c := range chans {
		errs = append(errs, <-c)
	}
	return errors.Join(errs...)
}
