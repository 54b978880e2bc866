package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Observer is told about lifecycle transitions.
type Observer interface {
	Transition(runner, state string)
}

// bestEffort keeps a misbehaving observer from failing a transition.
func bestEffort() {
	_ = recover() // HAZ recover-swallows-panic
}

// Notify tells every observer that the runner reached state.
func (r *Runner) Notify(state string, observers []Observer) {
	for _, o := range observers {
		func() {
			defer bestEffort()
			o.Transition(r.name, state)
		}()
	}
}

// NotifyLogged is Notify that logs a panicking observer and goes on.
func (r *Runner) NotifyLogged(state string, observers []Observer) {
	for _, o := range observers {
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.log.Printf("%s: observer panicked on %s: %v", r.name, state, p)
				}
			}()
			o.Transition(r.name, state)
		}()
	}
}

// RunParallel runs all steps at once. A panicking step is reported as an
// error of the runner instead of crashing the process.
func (r *Runner) RunParallel(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: panic: %v", r.name, p)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, len(r.steps))
	for i, s := range r.steps {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = s.Run(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunParallelSafe is RunParallel with the recover where the steps run.
func (r *Runner) RunParallelSafe(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(r.steps))
	for i, s := range r.steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("step %s: panic: %v", s.Name, p)
				}
			}()
			errs[i] = s.Run(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
