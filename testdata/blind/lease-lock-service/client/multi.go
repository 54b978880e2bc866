//go:build go1.21

// Batch helpers. The constraint dates from when the module still declared
// go 1.20 and this file was the first to use the min builtin.

package client

import (
	"context"
	"errors"
	"sync"
	"time"
)

// GrantMany grants one lease per TTL, with at most eight requests in
// flight (they share the connection, but retries and backoff overlap).
func (c *Client) GrantMany(ctx context.Context, ttls []time.Duration) ([]LeaseID, error) {
	ids := make([]LeaseID, len(ttls))
	errs := make([]error, len(ttls))
	inFlight := min(len(ttls), 8)
	var wg sync.WaitGroup
	for i, ttl := range ttls {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			ids[i], errs[i] = c.Grant(ctx, ttl)
		}()
		if (i+1)%inFlight == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return ids, errors.Join(errs...)
}

// RevokeMany revokes ids concurrently.
func (c *Client) RevokeMany(ctx context.Context, ids []LeaseID) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id LeaseID) {
			defer wg.Done()
			errs[i] = c.Revoke(ctx, id)
		}(i, id)
	}
	wg.Wait()
	return errors.Join(errs...)
}
