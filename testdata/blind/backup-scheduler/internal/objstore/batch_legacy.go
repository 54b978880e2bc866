//go:build go1.21

// Batch uploads, kept at the language version they were written for.

package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
)

// PutMany uploads objects concurrently and returns every failure.
func (c *Client) PutMany(ctx context.Context, objs map[string][]byte) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	started := 0
	for key, data := range objs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := c.Put(ctx, key, bytes.NewReader(data)); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d uploads failed: %w", len(errs), started, errors.Join(errs...))
	}
	return nil
}
