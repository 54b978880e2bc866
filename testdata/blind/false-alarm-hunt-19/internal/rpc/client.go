// Package rpc holds the node-to-node HTTP client and the node's admin and
// data HTTP server.
package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sync"
	"time"

	"example.com/fah19/internal/retry"
)

const maxRangeBytes = 256 << 20

// Client talks to the other nodes of the cluster.
type Client struct {
	hc      *http.Client
	addrs   []string
	retry   retry.Options
	verbose bool
}

// NewClient returns a client for the given node addresses.
func NewClient(addrs []string) *Client {
	return &Client{
		hc:    &http.Client{Timeout: 10 * time.Second},
		addrs: addrs,
		retry: retry.DefaultOptions,
	}
}

// FetchRange downloads a range, rotating through the nodes and retrying
// transient failures.
func (c *Client) FetchRange(ctx context.Context, rangeID int64) ([]byte, error) {
	if len(c.addrs) == 0 {
		return nil, errors.New("rpc: no nodes configured")
	}
	var out []byte
	err := retry.Do(ctx, c.retry, func(ctx context.Context, attempt int) error {
		addr := c.addrs[(attempt-1)%len(c.addrs)]
		b, err := c.fetchOnce(ctx, addr, rangeID)
		if err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// fetchOnce is one attempt of FetchRange. Its response body is closed when
// it returns, before the retry loop sleeps.
func (c *Client) fetchOnce(ctx context.Context, addr string, rangeID int64) ([]byte, error) {
	u := fmt.Sprintf("http://%s/ranges/%d", addr, rangeID)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, retry.Permanent(err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("%s: %s", addr, resp.Status)
	default:
		return nil, retry.Permanent(fmt.Errorf("%s: %s", addr, resp.Status))
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxRangeBytes))
}

// lookupOnce reads key from one node. It is bounded by the client timeout.
func (c *Client) lookupOnce(addr, key string) ([]byte, error) {
	resp, err := c.hc.Get("http://" + addr + "/kv/" + url.PathEscape(key))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("lookup %q on %s: %s", key, addr, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

type lookupResult struct {
	val []byte
	err error
}

// Lookup reads key from addr, giving up when ctx is done.
func (c *Client) Lookup(ctx context.Context, addr, key string) ([]byte, error) {
	resc := make(chan lookupResult)
	go func() {
		v, err := c.lookupOnce(addr, key)
		resc <- lookupResult{val: v, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-resc:
		return r.val, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LookupAny asks every node for key and returns the first answer. The
// result channel is buffered for every node, so the slower lookups finish
// and exit even after LookupAny has returned.
func (c *Client) LookupAny(ctx context.Context, key string) ([]byte, error) {
	resc := make(chan lookupResult, len(c.addrs))
	for _, addr := range c.addrs {
		go func() {
			v, err := c.lookupOnce(addr, key)
			resc <- lookupResult{val: v, err: err}
		}()
	}
	var errs []error
	for range c.addrs {
		select {
		case r := <-resc:
			if r.err == nil {
				return r.val, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// Event is a range change notification.
type Event struct {
	RangeID int64  `json:"range_id"`
	Kind    string `json:"kind"`
}

// Watch streams range events from addr until ctx is done or the stream
// ends. The goroutine is the channel's only sender and closes it.
func (c *Client) Watch(ctx context.Context, addr string) <-chan Event {
	events := make(chan Event)
	go func() {
		defer close(events)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/events", nil)
		if err != nil {
			return
		}
		// The stream outlives c.hc's timeout, so use a client without one;
		// ctx bounds it instead.
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		dec := json.NewDecoder(resp.Body)
		for {
			var ev Event
			if err := dec.Decode(&ev); err != nil {
				return
			}
			select {
			case events <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return events
}

// Broadcast POSTs path to every node, e.g. to drop a cache entry
// everywhere, and returns one error per node that failed.
func (c *Client) Broadcast(ctx context.Context, path string) []error {
	var errs []error
	for _, addr := range c.addrs {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+path, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			errs = append(errs, fmt.Errorf("%s: %s", addr, resp.Status))
		}
	}
	return errs
}

func (c *Client) ping(ctx context.Context, addr string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/status", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", addr, resp.Status)
	}
	return nil
}

// PingAll checks every node concurrently and returns the failures by
// address.
func (c *Client) PingAll(ctx context.Context) map[string]error {
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed = make(map[string]error)
		addr   string
	)
	for _, addr = range c.addrs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := c.ping(ctx, addr); err != nil {
				mu.Lock()
				failed[addr] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}

func (c *Client) logRPC(op, addr string, err error) {
	if err != nil {
		log.Printf("rpc: %s to %s failed: %v", op, addr, err)
		return
	}
	if c.verbose {
		log.Printf("rpc: %s to %s ok", op, addr)
	}
}

// PutRange uploads a range's data to addr.
func (c *Client) PutRange(ctx context.Context, addr string, rangeID int64, data []byte) error {
	var err error
	defer c.logRPC("put-range", addr, err) // HAZ defer-eager-evaluation
	u := fmt.Sprintf("http://%s/ranges/%d", addr, rangeID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, bytes.NewReader(data))
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		err = fmt.Errorf("put range %d on %s: %s", rangeID, addr, resp.Status)
		return err
	}
	return nil
}

// RangeMeta describes a range as reported by its leaseholder.
type RangeMeta struct {
	RangeID     int64 `json:"range_id"`
	Size        int64 `json:"size"`
	Leaseholder int   `json:"leaseholder"`
}

func (c *Client) fetchMeta(ctx context.Context, addr string, rangeID int64) (RangeMeta, error) {
	u := fmt.Sprintf("http://%s/ranges/%d/meta", addr, rangeID)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return RangeMeta{}, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return RangeMeta{}, err
	}
	defer resp.Body.Close()
	var m RangeMeta
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return RangeMeta{}, fmt.Errorf("range %d meta: %w", rangeID, err)
	}
	return m, nil
}

type metaResult struct {
	meta RangeMeta
	err  error
}

// FetchWithMeta downloads a range and, concurrently, its metadata.
func (c *Client) FetchWithMeta(ctx context.Context, rangeID int64) ([]byte, RangeMeta, error) {
	if len(c.addrs) == 0 {
		return nil, RangeMeta{}, errors.New("rpc: no nodes configured")
	}
	metac := make(chan metaResult)
	go func() {
		m, err := c.fetchMeta(ctx, c.addrs[0], rangeID)
		metac <- metaResult{meta: m, err: err} // HAZ goroutine-blocked-send
	}()
	data, err := c.FetchRange(ctx, rangeID)
	if err != nil {
		return nil, RangeMeta{}, err
	}
	mr := <-metac
	if mr.err != nil {
		return nil, RangeMeta{}, mr.err
	}
	return data, mr.meta, nil
}
