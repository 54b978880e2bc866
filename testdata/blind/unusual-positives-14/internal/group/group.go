// Package group holds small hand-written helpers for running work
// concurrently: an errgroup look-alike, a bounded variant and a worker pool.
package group

import (
	"context"
	"errors"
	"sync"
)

// Group runs functions in goroutines and keeps the first error. A Group made
// by WithContext cancels its context when a function fails or Wait returns.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
}

// WithContext returns a Group and a context that is cancelled on first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until every function has returned and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Limited runs at most cap(sem) functions at a time and keeps every error.
type Limited struct {
	wg   sync.WaitGroup
	sem  chan struct{}
	mu   sync.Mutex
	errs []error
}

// NewLimited returns a Limited that runs at most n functions at once.
func NewLimited(n int) *Limited {
	if n < 1 {
		n = 1
	}
	return &Limited{sem: make(chan struct{}, n)}
}

// Go runs f once a slot is free.
func (l *Limited) Go(f func() error) {
	l.wg.Add(1)
	go func() {
		l.sem <- struct{}{}
		err := f()
		<-l.sem
		if err != nil {
			l.record(err)
			return
		}
		l.wg.Done() // HAZ waitgroup-done-path
	}()
}

func (l *Limited) record(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

// Wait blocks until every function has returned and joins their errors.
func (l *Limited) Wait() error {
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.errs...)
}
