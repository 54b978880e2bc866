// Package leaderelection implements lease-based leader election against the
// API server's lease endpoint.
package leaderelection

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// LeaseRecord is the content of a lease object.
type LeaseRecord struct {
	HolderIdentity       string    `json:"holderIdentity"`
	LeaseDurationSeconds int       `json:"leaseDurationSeconds"`
	AcquireTime          time.Time `json:"acquireTime"`
	RenewTime            time.Time `json:"renewTime"`
	LeaderTransitions    int       `json:"leaderTransitions"`
	ResourceVersion      string    `json:"resourceVersion,omitempty"`
}

// ErrConflict means the lease changed since it was read.
var ErrConflict = errors.New("leaderelection: lease was modified concurrently")

// HTTPLeaseClient reads and writes leases over HTTP.
type HTTPLeaseClient struct {
	base string
	http *http.Client
}

// NewHTTPLeaseClient returns a lease client. Requests are bounded by the
// contexts passed to each call, so hc needs no overall timeout.
func NewHTTPLeaseClient(base string, hc *http.Client) *HTTPLeaseClient {
	if hc == nil {
		hc = &http.Client{}
	}
	return &HTTPLeaseClient{base: base, http: hc}
}

func (c *HTTPLeaseClient) leaseURL(name string) string {
	return c.base + "/apis/coordination/v1/leases/" + url.PathEscape(name)
}

// Get returns the lease, or nil if it does not exist yet.
func (c *HTTPLeaseClient) Get(ctx context.Context, name string) (*LeaseRecord, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.leaseURL(name), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, nil
	default:
		return nil, fmt.Errorf("leaderelection: get lease %s: %s", name, resp.Status)
	}
	var rec LeaseRecord
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// Update writes rec, using its ResourceVersion as a precondition.
func (c *HTTPLeaseClient) Update(ctx context.Context, name string, rec *LeaseRecord) (*LeaseRecord, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.leaseURL(name), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if rec.ResourceVersion != "" {
		req.Header.Set("If-Match", rec.ResourceVersion)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusConflict || resp.StatusCode == http.StatusPreconditionFailed {
		return nil, ErrConflict
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("leaderelection: update lease %s: %s", name, resp.Status)
	}
	var out LeaseRecord
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return &out, nil
}
