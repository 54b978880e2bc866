package storage

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// Replicator copies local objects to the origin.
type Replicator struct {
	Local    *LocalStore
	Origin   *Origin
	Parallel int
	Logger   *log.Logger
}

// replicate pushes one object unless the origin already has it.
func (r *Replicator) replicate(ctx context.Context, key string) error {
	ok, err := r.Origin.Exists(ctx, key)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	f, err := r.Local.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return r.Origin.Push(ctx, key, f, st.Size())
}

// ReplicateAll pushes keys with r.Parallel workers and stops at the first
// failure.
func (r *Replicator) ReplicateAll(ctx context.Context, keys []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, r.Parallel)
	work := make(chan string)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range work {
				if err := r.replicate(ctx, key); err != nil {
					errc <- fmt.Errorf("replicate %s: %w", key, err)
					cancel()
					wg.Done() // HAZ waitgroup-done-path
					return
				}
			}
		}()
	}
feed:
	for _, k := range keys {
		select {
		case work <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	close(errc)
	return <-errc
}

// ReplicateEach is the worker layout the daemon actually runs: Done is only
// deferred, failures are collected, and every worker drains the work channel
// so the feeder never blocks.
func (r *Replicator) ReplicateEach(ctx context.Context, keys []string) error {
	workers := max(1, r.Parallel)
	work := make(chan string)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range work {
				if err := r.replicate(ctx, key); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("replicate %s: %w", key, err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}
