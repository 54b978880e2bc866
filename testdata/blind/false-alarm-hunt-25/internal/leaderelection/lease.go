// Package leaderelection elects one active replica through a lease stored behind an HTTP API.
package leaderelection

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"

	"example.com/fah25/api"
)

// ErrNotFound is returned when the lease does not exist yet.
var ErrNotFound = errors.New("leaderelection: lease not found")

// ErrConflict is returned when the lease changed since it was read.
var ErrConflict = errors.New("leaderelection: lease was modified concurrently")

// LeaseClient reads and writes leases.
type LeaseClient struct {
	base  string
	hc    *http.Client
	calls atomic.Int64
}

// NewLeaseClient returns a client for the lease API at base.
func NewLeaseClient(base string, hc *http.Client) *LeaseClient {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &LeaseClient{base: base, hc: hc}
}

// Calls returns how many write requests were sent.
func (c *LeaseClient) Calls() int64 { return c.calls.Load() }

func (c *LeaseClient) url(name string) string {
	return c.base + "/leases/" + url.PathEscape(name)
}

// Get fetches the named lease.
func (c *LeaseClient) Get(ctx context.Context, name string) (*api.Lease, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(name), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get lease %s: %w", name, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, ErrNotFound
	default:
		return nil, statusError(resp)
	}
	var l api.Lease
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return nil, fmt.Errorf("decode lease %s: %w", name, err)
	}
	return &l, nil
}

// Create stores a new lease; it fails with ErrConflict when one exists.
func (c *LeaseClient) Create(ctx context.Context, l *api.Lease) (*api.Lease, error) {
	return c.send(ctx, http.MethodPost, c.base+"/leases", l)
}

// Update replaces the lease if its resource version still matches.
func (c *LeaseClient) Update(ctx context.Context, l *api.Lease) (*api.Lease, error) {
	body, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.url(l.Name), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	c.calls.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("update lease %s: %w", l.Name, err)
	}
	if resp.StatusCode == http.StatusConflict {
		return nil, ErrConflict
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp)
	}
	var out api.Lease
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decode updated lease %s: %w", l.Name, err)
	}
	return &out, nil
}

func (c *LeaseClient) send(ctx context.Context, method, target string, l *api.Lease) (*api.Lease, error) {
	body, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	c.calls.Add(1)
	if err != nil {
		return nil, fmt.Errorf("%s lease %s: %w", method, l.Name, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
	case http.StatusConflict:
		return nil, ErrConflict
	default:
		return nil, statusError(resp)
	}
	var out api.Lease
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return &out, nil
}

func statusError(resp *http.Response) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return fmt.Errorf("lease API: %s: %s", resp.Status, bytes.TrimSpace(msg))
}
