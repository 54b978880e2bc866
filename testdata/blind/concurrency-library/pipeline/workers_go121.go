//go:build go1.21

// This file is kept buildable with go1.21 toolchains for the vendored copy
// used by older services.

package pipeline

import (
	"context"
	"log"
	"sync"
)

// Debug enables start-up logging of workers.
var Debug bool

// StartWorkers runs work(ctx, id) on n goroutines and returns a WaitGroup
// that completes when all have returned.
func StartWorkers(ctx context.Context, n int, work func(ctx context.Context, id int)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			work(ctx, i)
		}()
		if Debug {
			log.Printf("pipeline: started worker %d/%d", i+1, n)
		}
	}
	return &wg
}

// StartWorkersSafe is StartWorkers with the worker id passed explicitly.
func StartWorkersSafe(ctx context.Context, n int, work func(ctx context.Context, id int)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			work(ctx, id) // ok: id is a parameter
		}(i)
	}
	return &wg
}

// Closer is a stage with resources to release.
type Closer interface {
	Name() string
	Close() error
}

// CloseAll closes every stage concurrently and reports the first error.
func CloseAll(stages []Closer) error {
	errs := make(chan error, len(stages))
	for _, s := range stages {
		go func() { // HAZ loop-var-capture
			if err := s.Close(); err != nil {
				log.Printf("pipeline: closing %s: %v", s.Name(), err)
				errs <- err
				return
			}
			errs <- nil
		}()
		if Debug {
			log.Printf("pipeline: closing %s", s.Name())
		}
	}
	var first error
	for range stages {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// CloseAllCopy is CloseAll written with an explicit per-iteration copy.
func CloseAllCopy(stages []Closer) error {
	errs := make(chan error, len(stages))
	for _, s := range stages {
		s := s
		go func() {
			errs <- s.Close() // ok: s is a fresh copy per iteration
		}()
	}
	var first error
	for range stages {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
