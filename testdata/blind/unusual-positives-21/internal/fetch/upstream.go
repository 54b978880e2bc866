// Package fetch talks to the upstream cache and serves misses over HTTP.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrTimeout is returned when the upstream does not answer in time.
var ErrTimeout = errors.New("fetch: upstream timed out")

// Upstream is a remote cache that local misses fall back to.
type Upstream struct {
	client  *http.Client
	base    string
	timeout time.Duration
	backoff time.Duration
}

// NewUpstream returns a client for the cache at base.
func NewUpstream(base string, timeout time.Duration) *Upstream {
	return &Upstream{
		client:  &http.Client{},
		base:    base,
		timeout: timeout,
		backoff: 50 * time.Millisecond,
	}
}

type result struct {
	body []byte
	err  error
}

// call is one in-flight upstream request, run on its own goroutine.
type call struct {
	u   *Upstream
	key string
	out chan result
}

func (c *call) run() {
	body, err := c.u.get(c.key)
	c.out <- result{body: body, err: err}
}

// Fetch returns the blob stored under key, or ErrTimeout when the upstream is
// slower than the configured timeout.
func (u *Upstream) Fetch(key string) ([]byte, error) {
	c := &call{u: u, key: key, out: make(chan result)}
	go c.run() // HAZ goroutine-blocked-send
	select {
	case r := <-c.out:
		return r.body, r.err
	case <-time.After(u.timeout):
		return nil, ErrTimeout
	}
}

// FetchCtx is Fetch bounded by ctx. The result channel has room for the one
// result, so an abandoned call still finishes.
func (u *Upstream) FetchCtx(ctx context.Context, key string) ([]byte, error) {
	c := &call{u: u, key: key, out: make(chan result, 1)}
	go c.run()
	select {
	case r := <-c.out:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// get downloads key, retrying server errors with a growing backoff.
func (u *Upstream) get(key string) ([]byte, error) {
	attempt := 0
retry:
	resp, err := u.client.Get(u.base + "/cas/" + key)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 && attempt < 3 {
		resp.Body.Close()
		attempt++
		time.Sleep(u.backoff << attempt)
		goto retry
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// probeSize reports the upstream size of key on out, or -1 when unknown.
func (u *Upstream) probeSize(key string, out chan<- int64) {
	req, err := http.NewRequest(http.MethodHead, u.base+"/cas/"+key, nil)
	if err != nil {
		out <- -1
		return
	}
	resp, err := u.client.Do(req)
	if err != nil {
		out <- -1
		return
	}
	resp.Body.Close()
	out <- resp.ContentLength
}

// Size asks the upstream for the size of key, giving up after the timeout.
func (u *Upstream) Size(key string) (int64, error) {
	sizes := make(chan int64)
	probe := u.probeSize
	go probe(key, sizes) // HAZ goroutine-blocked-send
	select {
	case n := <-sizes:
		if n < 0 {
			return 0, fmt.Errorf("fetch: size of %s unknown", key)
		}
		return n, nil
	case <-time.After(u.timeout):
		return 0, ErrTimeout
	}
}

// probeSizeCtx is probeSize that gives up its send once ctx is done.
func (u *Upstream) probeSizeCtx(ctx context.Context, key string, out chan<- int64) {
	n := int64(-1)
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.base+"/cas/"+key, nil)
	if err == nil {
		if resp, err := u.client.Do(req); err == nil {
			resp.Body.Close()
			n = resp.ContentLength
		}
	}
	select {
	case out <- n:
	case <-ctx.Done():
	}
}

// SizeCtx is Size with a context: the prober stops waiting to deliver once
// the deadline passes, because cancel runs when SizeCtx returns.
func (u *Upstream) SizeCtx(ctx context.Context, key string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	sizes := make(chan int64)
	probe := u.probeSizeCtx
	go probe(ctx, key, sizes)
	select {
	case n := <-sizes:
		if n < 0 {
			return 0, fmt.Errorf("fetch: size of %s unknown", key)
		}
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Prefetch fetches every key concurrently, waits for all of them and returns
// the first error. Every result is received, so the unbuffered channel never
// strands a sender.
func (u *Upstream) Prefetch(keys []string) error {
	out := make(chan result)
	for _, k := range keys {
		c := &call{u: u, key: k, out: out}
		go c.run()
	}
	var first error
	for range keys {
		if r := <-out; r.err != nil && first == nil {
			first = r.err
		}
	}
	return first
}
