package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Sink receives fully processed items, e.g. the database writer and the
// search indexer.
type Sink interface {
	Name() string
	Deliver(ctx context.Context, it Item) error
}

// Broadcast delivers it to every sink concurrently and returns the
// failures. It stops waiting when ctx ends.
func Broadcast(ctx context.Context, it Item, sinks []Sink) []error {
	errc := make(chan error, len(sinks))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, s := range sinks {
		go func() {
			if err := s.Deliver(ctx, it); err != nil {
				errc <- fmt.Errorf("%s: %w", s.Name(), err)
				return
			}
			errc <- nil
		}()
	}
	var errs []error
	for range sinks {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-ctx.Done():
			return append(errs, ctx.Err())
		}
	}
	return errs
}

// DeliverAll delivers to every sink concurrently and waits for all of
// them; the sinks observe ctx themselves.
func DeliverAll(ctx context.Context, it Item, sinks []Sink) error {
	errc := make(chan error)
	defer close(errc)
	for _, s := range sinks {
		go func() {
			if err := s.Deliver(ctx, it); err != nil {
				errc <- fmt.Errorf("%s: %w", s.Name(), err)
				return
			}
			errc <- nil
		}()
	}
	var errs []error
	for range sinks {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FirstSuccess returns the name of the first sink that accepted it. The
// result channel holds one slot per sink, so the slower sinks never block
// after FirstSuccess has returned.
func FirstSuccess(ctx context.Context, it Item, sinks []Sink) (string, error) {
	type result struct {
		name string
		err  error
	}
	ch := make(chan result, len(sinks))
	for _, s := range sinks {
		go func() { ch <- result{s.Name(), s.Deliver(ctx, it)} }()
	}
	var errs []error
	for range sinks {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.name, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}

// DeliverCounted delivers to every sink concurrently and returns how many
// failed.
func DeliverCounted(ctx context.Context, it Item, sinks []Sink) int {
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, s := range sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Deliver(ctx, it); err != nil {
				failed.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(failed.Load())
}
