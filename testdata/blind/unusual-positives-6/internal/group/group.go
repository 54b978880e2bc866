// Package group provides small hand-written alternatives to errgroup.
package group

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Group runs tasks on goroutines and reports the first error, cancelling its
// context when one fails.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
	sem    chan struct{}
}

// WithContext returns a group and a context cancelled by the first failure or
// by Wait.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit bounds the number of tasks running at once. Call it before Go.
func (g *Group) SetLimit(n int) {
	if n > 0 {
		g.sem = make(chan struct{}, n)
	}
}

// Go runs f on a new goroutine, blocking while the limit is reached.
func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// done releases the task's slot; the slot was taken before the goroutine
// started, so the receive never waits.
func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Wait blocks until every task has returned and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Batch runs named tasks and collects every error, not only the first.
type Batch struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go runs task on a new goroutine.
func (b *Batch) Go(name string, task func() error) {
	b.wg.Add(1)
	go func() {
		if err := task(); err != nil {
			b.mu.Lock()
			b.errs = append(b.errs, fmt.Errorf("%s: %w", name, err))
			b.mu.Unlock()
			return
		}
		b.wg.Done() // HAZ waitgroup-done-path
	}()
}

// Wait blocks until every task has finished and joins their errors.
func (b *Batch) Wait() error {
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return errors.Join(b.errs...)
}

// Parallel runs every task concurrently and returns their errors by index.
func Parallel(tasks []func() error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(tasks))
	for i, task := range tasks {
		wg.Go(func() {
			errs[i] = task()
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
	return errs
}

// ForEach calls fn for every item with at most limit calls in flight.
func ForEach[T any](items []T, limit int, fn func(T)) {
	if limit < 1 {
		limit = 1
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, it := range items {
		sem <- struct{}{}
		wg.Go(func() {
			fn(it)
			<-sem
		})
	}
	wg.Wait()
}
