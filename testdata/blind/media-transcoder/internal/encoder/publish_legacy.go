//go:build go1.21

// This file predates the module's move to Go 1.23 and is still pinned to the
// Go 1.21 language version by its build constraint (it is shared with the
// old edge-packager build), so loop variables here are per-loop, not
// per-iteration.

package encoder

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// Output is one finished rendition on local disk.
type Output struct {
	Name string
	Path string
	Size int64
}

// Publisher uploads a finished file under a key.
type Publisher interface {
	Publish(ctx context.Context, key, path string) error
}

// PublishRenditions uploads all outputs concurrently.
func PublishRenditions(ctx context.Context, pub Publisher, prefix string, outputs []Output, logger *log.Logger) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(outputs))
	for _, out := range outputs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := pub.Publish(ctx, prefix+"/"+out.Name, out.Path); err != nil {
				errc <- fmt.Errorf("publish %s: %w", out.Name, err)
			}
		}()
		logger.Printf("publish: queued %s (%d bytes)", out.Name, out.Size)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// PublishRenditionsArg passes the loop variable as an argument, which is
// correct under the Go 1.21 semantics of this file.
func PublishRenditionsArg(ctx context.Context, pub Publisher, prefix string, outputs []Output) error {
	var wg sync.WaitGroup
	errs := make([]error, len(outputs))
	for i, out := range outputs {
		wg.Add(1)
		go func(i int, o Output) {
			defer wg.Done()
			errs[i] = pub.Publish(ctx, prefix+"/"+o.Name, o.Path)
		}(i, out)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// VerifyRenditions shadows the loop variable with a per-iteration copy.
func VerifyRenditions(ctx context.Context, outputs []Output, check func(context.Context, Output) error) error {
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for _, out := range outputs {
		out := out
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(ctx, out); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("verify %s: %w", out.Name, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}
