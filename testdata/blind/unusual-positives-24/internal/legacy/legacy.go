//go:build go1.21

// Package legacy holds the image pipeline that predates the module's move to
// Go 1.22. The build line above keeps this file on the go1.21 language
// version, and so on the old per-loop iteration variables.
package legacy

import (
	"errors"
	"fmt"
	"sync"
)

// Resizer turns one source image into a thumbnail.
type Resizer func(src string) error

// Stats counts the work queued by this file's helpers.
type Stats struct {
	mu     sync.Mutex
	Queued int
}

func (s *Stats) queued() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Queued++
}

// ResizeAll resizes every source concurrently and joins the errors.
func ResizeAll(srcs []string, resize Resizer, st *Stats) error {
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	for i, src := range srcs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = resize(src)
		}()
		st.queued()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ResizeCopied is ResizeAll with the iteration variables copied per
// iteration, as code on the old semantics had to.
func ResizeCopied(srcs []string, resize Resizer, st *Stats) error {
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	for i, src := range srcs {
		i, src := i, src
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = resize(src)
		}()
		st.queued()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ResizeArgs is ResizeAll with the iteration variables passed as arguments.
func ResizeArgs(srcs []string, resize Resizer, st *Stats) error {
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	for i, src := range srcs {
		wg.Add(1)
		go func(i int, src string) {
			defer wg.Done()
			if err := resize(src); err != nil {
				errs[i] = fmt.Errorf("resize %s: %w", src, err)
			}
		}(i, src)
		st.queued()
	}
	wg.Wait()
	return errors.Join(errs...)
}
