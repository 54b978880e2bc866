// Package peer is the client side of node-to-node traffic: key reads over
// HTTP, health checks, and segment streaming over raw TCP.
package peer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/fah13/internal/trace"
	"example.com/fah13/internal/wal"
)

// ErrNotFound is returned by Get for a missing key.
var ErrNotFound = errors.New("peer: key not found")

const maxValueSize = 4 << 20

// Client talks to one peer.
type Client struct {
	base   string
	http   *http.Client
	dialer net.Dialer
	rec    *trace.Recorder
	ua     string

	// ListTimeout, if positive, bounds metadata requests (Members) that
	// may be slow on large clusters.
	ListTimeout time.Duration
}

// NewClient returns a client for the peer at base (e.g. "http://n1:2379").
func NewClient(base string, timeout time.Duration, rec *trace.Recorder) *Client {
	return &Client{
		base:   strings.TrimRight(base, "/"),
		http:   &http.Client{Timeout: timeout},
		dialer: net.Dialer{Timeout: timeout},
		rec:    rec,
		ua:     "fah13-peer/1",
	}
}

func (c *Client) keyURL(key string) string {
	return c.base + "/v1/kv/" + url.PathEscape(key)
}

// do sends req with the client's common headers.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", c.ua)
	return c.http.Do(req)
}

func statusError(resp *http.Response) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return fmt.Errorf("peer: %s: %s", resp.Status, bytes.TrimSpace(msg))
}

// Get reads key from the peer.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	defer c.rec.Track("peer.get")()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.keyURL(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return io.ReadAll(io.LimitReader(resp.Body, maxValueSize))
	case http.StatusNotFound:
		return nil, ErrNotFound
	default:
		return nil, statusError(resp)
	}
}

// Put writes key on the peer. The body is drained so the connection can be
// reused, and a failing Close is reported if nothing else failed.
func (c *Client) Put(ctx context.Context, key string, value []byte) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.keyURL(key), bytes.NewReader(value))
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return statusError(resp)
	}
	return nil
}

// Delete removes key on the peer.
func (c *Client) Delete(ctx context.Context, key string) error {
	start := time.Now()
	defer c.rec.Observe("peer.delete", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.keyURL(key), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusOK:
		return nil
	case http.StatusNotFound:
		return ErrNotFound
	default:
		return statusError(resp)
	}
}

// List returns the keys under prefix on the peer.
func (c *Client) List(ctx context.Context, prefix string) ([]string, error) {
	defer c.rec.Track("peer.list") // HAZ defer-func-result-not-called
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/keys?prefix="+url.QueryEscape(prefix), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp)
	}
	var keys []string
	if err := json.NewDecoder(resp.Body).Decode(&keys); err != nil {
		return nil, fmt.Errorf("peer: decoding key list: %w", err)
	}
	return keys, nil
}

// Members returns the names of the cluster members as the peer sees them.
func (c *Client) Members(ctx context.Context) ([]string, error) {
	var cancel context.CancelFunc
	if c.ListTimeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.ListTimeout)
	}
	defer cancel() // HAZ defer-nil-func
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/members", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp)
	}
	var names []string
	if err := json.NewDecoder(resp.Body).Decode(&names); err != nil {
		return nil, fmt.Errorf("peer: decoding member list: %w", err)
	}
	return names, nil
}

// WithRemoteLock runs fn while holding the lock key on the peer.
func (c *Client) WithRemoteLock(ctx context.Context, key string, fn func(context.Context) error) error {
	if err := c.Put(ctx, "locks/"+key, []byte(c.ua)); err != nil {
		return fmt.Errorf("acquire remote lock %s: %w", key, err)
	}
	defer c.Delete(context.Background(), "locks/"+key) // HAZ defer-blocking-call
	return fn(ctx)
}

// WithRemoteLease runs fn while holding the lease key on the peer. The
// release gets its own short deadline, independent of ctx, which may
// already be cancelled by then.
func (c *Client) WithRemoteLease(ctx context.Context, key string, fn func(context.Context) error) error {
	if err := c.Put(ctx, "leases/"+key, []byte(c.ua)); err != nil {
		return fmt.Errorf("acquire remote lease %s: %w", key, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.Delete(rctx, "leases/"+key)
	}()
	return fn(ctx)
}

// Health returns nil if the peer answers its health endpoint with 200.
func (c *Client) Health(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("peer %s unhealthy: %w", c.base, err)
	}
	if resp.StatusCode != http.StatusOK {
		return statusError(resp)
	}
	return nil
}

// Ready is Health with a fixed short deadline, used by the startup probe.
func (c *Client) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return fmt.Errorf("peer %s not ready: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return statusError(resp)
	}
	return nil
}

// GetTimeout is Get for callers without a context, bounded by d.
func (c *Client) GetTimeout(key string, d time.Duration) ([]byte, error) {
	type reply struct {
		v   []byte
		err error
	}
	ch := make(chan reply)
	go func() {
		v, err := c.Get(context.Background(), key)
		ch <- reply{v, err} // HAZ goroutine-blocked-send
	}()

	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-timer.C:
		return nil, fmt.Errorf("peer: get %q timed out after %v", key, d)
	}
}

// GetHedged issues a second read if the first has not answered after
// hedgeAfter and returns the first success. The reply channel has a slot
// for each of the (at most two) attempts, so a late attempt never blocks.
func (c *Client) GetHedged(ctx context.Context, key string, hedgeAfter time.Duration) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type reply struct {
		v   []byte
		err error
	}
	ch := make(chan reply, 2)
	attempt := func() {
		v, err := c.Get(ctx, key)
		ch <- reply{v, err}
	}
	go attempt()

	timer := time.NewTimer(hedgeAfter)
	defer timer.Stop()
	inflight := 1
	for {
		select {
		case r := <-ch:
			inflight--
			if r.err == nil || inflight == 0 {
				return r.v, r.err
			}
		case <-timer.C:
			inflight++
			go attempt()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// StreamSegment pushes recs to a peer's replication port.
func (c *Client) StreamSegment(ctx context.Context, addr string, recs []wal.Record) error {
	conn, err := c.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(conn)
	for _, r := range recs {
		if err := wal.Encode(bw, r); err != nil {
			return err
		}
	}
	return bw.Flush()
}
