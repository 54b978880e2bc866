//go:build go1.21

// Kept at go1.21 semantics: this file is vendored into the 1.21 LTS agent
// build as is.

package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// StartParallel starts independent components concurrently (receivers,
// typically) and returns all start errors.
func (m *Manager) StartParallel(ctx context.Context, cs []Component) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	launched := 0
	for _, c := range cs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := c.Start(ctx); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", c.Name(), err))
				mu.Unlock()
			}
		}()
		launched++
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("lifecycle: %d of %d components failed: %w", len(errs), launched, errors.Join(errs...))
	}
	m.mu.Lock()
	m.started = append(m.started, cs...)
	m.mu.Unlock()
	return nil
}

// ShutdownParallel shuts components down concurrently, each bounded by
// per; the component is passed as an argument.
func (m *Manager) ShutdownParallel(cs []Component, per time.Duration) error {
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func(i int, c Component) { // ok: passed as arguments
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), per)
			defer cancel()
			errs[i] = m.shutdownOne(ctx, c)
		}(i, c)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// closeAll closes every closer, collecting errors and panics; each
// iteration runs in its own function literal.
func closeAll(cs []io.Closer) (errs []error) {
	for _, c := range cs {
		func(c io.Closer) {
			defer func() {
				if r := recover(); r != nil {
					errs = append(errs, fmt.Errorf("close panicked: %v", r))
				}
			}()
			if err := c.Close(); err != nil {
				errs = append(errs, err)
			}
		}(c)
	}
	return errs
}

// CloseAll is closeAll joined into one error.
func CloseAll(cs ...io.Closer) error {
	return errors.Join(closeAll(cs)...)
}
