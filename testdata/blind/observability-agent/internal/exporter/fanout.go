package exporter

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/obsagent/internal/pdata"
)

// Exporter is what the fanout sends to.
type Exporter interface {
	Name() string
	Export(ctx context.Context, b pdata.Batch) error
}

// Filter lets a target accept only some batches.
type Filter interface {
	Accepts(b pdata.Batch) bool
}

// Fanout sends every batch to all targets in parallel.
type Fanout struct {
	Targets []Exporter
}

// ExportAll sends b to every target and fails fast on the first error.
func (f *Fanout) ExportAll(ctx context.Context, b pdata.Batch) error {
	results := make(chan error, len(f.Targets))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, t := range f.Targets {
		go func() {
			if err := t.Export(ctx, b); err != nil {
				results <- fmt.Errorf("%s: %w", t.Name(), err)
				return
			}
			results <- nil
		}()
	}
	for range f.Targets {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

// ExportAllJoin sends b to every target and joins all errors.
func (f *Fanout) ExportAllJoin(ctx context.Context, b pdata.Batch) error {
	results := make(chan error, len(f.Targets))
	defer close(results) // ok: every sender is received from below
	for _, t := range f.Targets {
		go func() {
			err := t.Export(ctx, b)
			if err != nil {
				err = fmt.Errorf("%s: %w", t.Name(), err)
			}
			results <- err
		}()
	}
	var errs []error
	for range f.Targets {
		errs = append(errs, <-results)
	}
	return errors.Join(errs...)
}

func accepts(t Exporter, b pdata.Batch) bool {
	if fl, ok := t.(Filter); ok {
		return fl.Accepts(b)
	}
	return true
}

// Broadcast sends b to the targets that accept it and returns one error
// slot per target.
func (f *Fanout) Broadcast(ctx context.Context, b pdata.Batch) []error {
	errs := make([]error, len(f.Targets))
	var wg sync.WaitGroup
	for i, t := range f.Targets {
		wg.Add(1)
		go func() {
			if !accepts(t, b) {
				return
			}
			errs[i] = t.Export(ctx, b)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// BroadcastFiltered is Broadcast with the filter applied before the
// goroutine is started.
func (f *Fanout) BroadcastFiltered(ctx context.Context, b pdata.Batch) []error {
	errs := make([]error, len(f.Targets))
	var wg sync.WaitGroup
	for i, t := range f.Targets {
		if !accepts(t, b) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = t.Export(ctx, b)
		}()
	}
	wg.Wait()
	return errs
}
