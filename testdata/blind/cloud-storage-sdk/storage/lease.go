package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Lease is an advisory lock on a key held on the server.
type Lease struct {
	Key     string    `json:"key"`
	ID      string    `json:"leaseId"`
	Expires time.Time `json:"expires"`
}

// acquireLease takes the lease on key for ttl.
func (c *Client) acquireLease(ctx context.Context, key string, ttl time.Duration) (*Lease, error) {
	q := url.Values{"lease": {"acquire"}, "ttl": {strconv.Itoa(int(ttl / time.Second))}}
	resp, err := c.Do(ctx, http.MethodPost, key, q, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("storage: acquire lease on %s: %w", key, err)
	}
	defer resp.Body.Close()
	var l Lease
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return nil, err
	}
	return &l, nil
}

// releaseLeaseCtx gives the lease back.
func (c *Client) releaseLeaseCtx(ctx context.Context, l *Lease) error {
	q := url.Values{"lease": {"release"}, "leaseId": {l.ID}}
	req, err := c.NewRequest(ctx, http.MethodPost, l.Key, q, nil)
	if err != nil {
		return err
	}
	resp, err := c.Send(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// releaseLease gives the lease back, waiting as long as the server takes.
func (c *Client) releaseLease(l *Lease) {
	if err := c.releaseLeaseCtx(context.Background(), l); err != nil {
		log.Printf("storage: release lease %s on %s: %v", l.ID, l.Key, err)
	}
}

// WithLease runs fn while holding the lease on key.
func (c *Client) WithLease(ctx context.Context, key string, ttl time.Duration, fn func(context.Context) error) error {
	l, err := c.acquireLease(ctx, key, ttl)
	if err != nil {
		return err
	}
	defer c.releaseLease(l) // HAZ defer-blocking-call
	lctx, cancel := context.WithDeadline(ctx, l.Expires)
	defer cancel()
	return fn(lctx)
}

// Mutate runs fn under the lease on key; the release is bounded by a short
// timeout so a slow server cannot hold the caller.
func (c *Client) Mutate(ctx context.Context, key string, fn func(context.Context) error) error {
	l, err := c.acquireLease(ctx, key, 30*time.Second)
	if err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := c.releaseLeaseCtx(rctx, l); err != nil {
			log.Printf("storage: release lease on %s: %v", key, err)
		}
	}()
	return c.timeOp("mutate", func() error { return fn(ctx) })
}
