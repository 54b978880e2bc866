package runner

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Group runs goroutines and collects the first error, like errgroup.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

// WithContext returns a group whose context is cancelled at the first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs fn on a new goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := Call(fn); err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until every goroutine started by Go has returned and reports
// the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// ForEach calls fn for every item with at most limit calls in flight and
// returns the first error.
func ForEach[T any](ctx context.Context, items []T, limit int, fn func(context.Context, T) error) error {
	g, ctx := WithContext(ctx)
	sem := make(chan struct{}, limit)
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return g.Wait()
		}
		g.Go(func() error {
			defer func() { <-sem }()
			return fn(ctx, it)
		})
	}
	return g.Wait()
}

// Retry calls fn up to attempts times with exponential backoff.
func Retry(ctx context.Context, attempts int, base time.Duration, fn func() error) error {
	var err error
	for i := range attempts {
		if err = Call(fn); err == nil {
			return nil
		}
		t := time.NewTimer(base << i)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}
