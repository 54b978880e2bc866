//go:build go1.21

// This file holds the task runner used by version-1 plugin manifests. It is
// kept byte-for-byte compatible with the release that shipped it, including
// its build line.

package pool

import (
	"fmt"
	"sync"
)

// started is called after each task is scheduled; -v installs a logger.
var started = func(name string) {}

// SetStartHook installs the function called as tasks are scheduled.
func SetStartHook(fn func(name string)) {
	started = fn
}

// RunAll runs every task concurrently and returns their errors by index.
func RunAll(tasks []Task) []error {
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := t.Run(); err != nil {
				errs[i] = fmt.Errorf("%s: %w", t.Name, err)
			}
		}()
		started(t.Name)
	}
	wg.Wait()
	return errs
}

// RunAllOrdered is RunAll for tasks that must report in manifest order; the
// loop variables are handed to each goroutine as arguments.
func RunAllOrdered(tasks []Task) []error {
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func(i int, t Task) {
			defer wg.Done()
			if err := t.Run(); err != nil {
				errs[i] = fmt.Errorf("%s: %w", t.Name, err)
			}
		}(i, t)
		started(t.Name)
	}
	wg.Wait()
	return errs
}

// FirstError runs tasks concurrently and returns the first failure in
// manifest order. Each iteration copies its loop variables.
func FirstError(tasks []Task) error {
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		i, t := i, t
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = t.Run()
		}()
		started(t.Name)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("%s: %w", tasks[i].Name, err)
		}
	}
	return nil
}
