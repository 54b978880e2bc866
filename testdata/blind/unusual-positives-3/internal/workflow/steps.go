package workflow

import (
	"context"
	"errors"
	"sync"
)

// ErrNoWorkflow is reported for runs without a workflow definition.
var ErrNoWorkflow = errors.New("workflow: run has no workflow")

// RunParallel executes independent steps of r concurrently.
func (e *Engine) RunParallel(ctx context.Context, r *Run, names []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(names))
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.runStep(ctx, r, n); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Prefetch loads step inputs named on inputs into the cache with e.workers
// workers, until inputs is closed or ctx ends.
func (e *Engine) Prefetch(ctx context.Context, inputs <-chan string) {
	var wg sync.WaitGroup
	for w := 0; w < e.workers; w++ {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case in, ok := <-inputs:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					e.fetch(in)
				}
			}
		}()
	}
	wg.Wait()
}

// Preload is Prefetch whose workers always signal the group.
func (e *Engine) Preload(ctx context.Context, inputs <-chan string) {
	var wg sync.WaitGroup
	for w := 0; w < e.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case in, ok := <-inputs:
					if !ok {
						return
					}
					e.fetch(in)
				}
			}
		}()
	}
	wg.Wait()
}

// fetch loads one input file into the cache.
func (e *Engine) fetch(path string) {
	if _, err := e.inputs.Get(path); err != nil {
		e.logger.Printf("prefetch %s: %v", path, err)
	}
}

// ValidateRuns validates the workflows of runs concurrently.
func (e *Engine) ValidateRuns(runs []*Run) error {
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r.WF == nil {
				errs[i] = ErrNoWorkflow
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = r.WF.Validate()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// NotifyWatchers tells every watcher about r's state and returns the name of
// the last watcher notified (shown on the status page).
func (e *Engine) NotifyWatchers(r *Run) string {
	var (
		name string
		w    Watcher
		wg   sync.WaitGroup
	)
	state := r.State
	for name, w = range e.watchers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.OnState(r.ID, state)
		}()
		e.logger.Printf("notifying %s of %s", name, state)
	}
	wg.Wait()
	return name
}

// Broadcast tells every watcher about r's state.
func (e *Engine) Broadcast(r *Run) {
	var wg sync.WaitGroup
	state := r.State
	for name, w := range e.watchers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.OnState(r.ID, state)
			e.logger.Printf("notified %s of %s", name, state)
		}()
	}
	wg.Wait()
}
