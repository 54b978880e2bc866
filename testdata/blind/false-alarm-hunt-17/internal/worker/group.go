// Package worker has the concurrency building blocks of the artifact
// services: error groups, channel pipelines, the audit writer and the
// periodic task runner.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"example.com/fah17/internal/obs"
)

// Group runs functions concurrently and joins their errors. The first error
// cancels the context returned by NewGroup.
type Group struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
	cancel context.CancelCauseFunc
	logger *slog.Logger
}

// NewGroup returns a group and the context its functions should use.
func NewGroup(ctx context.Context, logger *slog.Logger) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel, logger: logger}, ctx
}

// Go runs fn on a new goroutine. A panic in fn is turned into an error.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := safeCall(fn); err != nil {
			g.record(err)
		}
	}()
}

func safeCall(fn func() error) (err error) {
	defer obs.RecoverTo(&err)
	return fn()
}

func (g *Group) record(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errs = append(g.errs, err)
	g.cancel(err)
}

// Wait waits for every function and returns their joined errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel(nil)
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}

// GoEach runs fn for every item on its own goroutine.
func (g *Group) GoEach(items []string, fn func(string) error) {
	for _, it := range items {
		g.wg.Add(1)
		go func() {
			if err := fn(it); err != nil {
				g.record(fmt.Errorf("%s: %w", it, err))
				return
			}
			g.wg.Done() // HAZ waitgroup-done-path
		}()
	}
}

// GoN runs n copies of fn, numbered 0 to n-1.
func (g *Group) GoN(n int, fn func(id int) error) {
	for id := range n {
		g.Go(func() error {
			if err := fn(id); err != nil {
				return fmt.Errorf("worker %d: %w", id, err)
			}
			return nil
		})
	}
}

// StartN starts n copies of fn, numbered from 0, and returns how many it
// started.
func (g *Group) StartN(n int, fn func(id int) error) int {
	var i int
	for i = 0; i < n; i++ {
		g.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer g.wg.Done()
			if err := fn(i); err != nil {
				g.record(fmt.Errorf("worker %d: %w", i, err))
			}
		}()
	}
	g.logger.Debug("workers started", "n", i)
	return i
}

// WarmAll calls load for every key concurrently and returns how many failed.
func WarmAll(keys []string, load func(string) error, logger *slog.Logger) int {
	var (
		wg     sync.WaitGroup
		failed atomic.Int64
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := load(k); err != nil {
				failed.Add(1)
				logger.Warn("warm failed", "key", k, "err", err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// CountAll calls count for every key concurrently and sums the results.
func CountAll(keys []string, count func(string) (int, error)) (int, error) {
	var (
		wg    sync.WaitGroup
		total atomic.Int64
		mu    sync.Mutex
		errs  []error
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := count(k)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", k, err))
				mu.Unlock()
				return
			}
			total.Add(int64(n))
		}()
	}
	wg.Wait()
	return int(total.Load()), errors.Join(errs...)
}
