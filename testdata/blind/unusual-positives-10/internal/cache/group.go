package cache

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
)

// Group runs a handler over many items with a fixed number of workers.
type Group[T any] struct {
	handle func(T)
	failed atomic.Int64
}

// NewGroup returns a group that calls handle for every item.
func NewGroup[T any](handle func(T)) *Group[T] {
	return &Group[T]{handle: handle}
}

// runOne handles v; a panicking item must not take the worker down.
func (g *Group[T]) runOne(v T) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	g.handle(v)
}

// runSafe handles v and turns a panic into an error.
func (g *Group[T]) runSafe(v T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			g.failed.Add(1)
			err = fmt.Errorf("item %v: panic: %v", v, r)
		}
	}()
	g.handle(v)
	return nil
}

func (g *Group[T]) logPanic(v T, r any) {
	if r != nil {
		g.failed.Add(1)
		log.Printf("group: item %v: panic: %v", v, r)
	}
}

// runLogged handles v and logs a panic.
func (g *Group[T]) runLogged(v T) {
	defer g.logPanic(v, recover()) // HAZ recover-ineffective
	g.handle(v)
}

// RunLogged handles the items one after another in the calling goroutine.
func (g *Group[T]) RunLogged(items []T) {
	for _, v := range items {
		g.runLogged(v)
	}
}

// Failed returns how many items panicked in Run.
func (g *Group[T]) Failed() int64 { return g.failed.Load() }

// Run handles all items and returns the panics as errors.
func (g *Group[T]) Run(items []T, workers int) error {
	jobs := make(chan T)
	errs := make(chan error, len(items))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range jobs {
				if err := g.runSafe(v); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, v := range items {
		jobs <- v
	}
	close(jobs)
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// BestEffort handles all items and ignores individual failures.
func (g *Group[T]) BestEffort(items []T, workers int) {
	jobs := make(chan T)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range jobs {
				g.runOne(v)
			}
		}()
	}
	for _, v := range items {
		jobs <- v
	}
	close(jobs)
	wg.Wait()
}
