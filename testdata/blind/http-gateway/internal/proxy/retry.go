package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// isRetryable reports whether a response to method with status may be retried
// on another backend.
func isRetryable(method string, status int) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
	default:
		return false
	}
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout
}

// backoff returns the jittered delay before retry number attempt (1-based).
func backoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << min(attempt, 5)
	if d > time.Second {
		d = time.Second
	}
	return d/2 + rand.N(d/2)
}

// forward sends r to up to Retries+1 backends and returns the first usable
// response. Bodies of discarded responses are drained and closed here.
func (p *Proxy) forward(ctx context.Context, r *http.Request, body []byte) (*http.Response, error) {
	var lastErr error
	for attempt := 0; attempt <= p.opts.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, errors.Join(lastErr, ctx.Err())
			case <-time.After(backoff(attempt)):
			}
		}
		b, err := p.pool.Pick()
		if err != nil {
			return nil, err
		}
		resp, err := p.attempt(b, p.outbound(ctx, r, b, body))
		if err != nil {
			lastErr = err
			continue
		}
		if attempt < p.opts.Retries && isRetryable(r.Method, resp.StatusCode) {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			lastErr = fmt.Errorf("backend %s: %s", b.Name, resp.Status)
			continue
		}
		return resp, nil
	}
	return nil, fmt.Errorf("all %d attempts failed: %w", p.opts.Retries+1, lastErr)
}

// attempt performs one round trip to b and counts its outcome.
func (p *Proxy) attempt(b *Backend, req *http.Request) (resp *http.Response, err error) {
	defer p.countAttempt(b, err) // HAZ defer-eager-evaluation
	done := b.begin()
	defer done()
	resp, err = p.transport.RoundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("backend %s: %w", b.Name, err)
	}
	return resp, nil
}

func (p *Proxy) countAttempt(b *Backend, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	p.attempts.Add(b.Name+"."+outcome, 1)
}

// send is the bare single-shot path used by hedged reads.
func (p *Proxy) send(ctx context.Context, b *Backend, r *http.Request) (*http.Response, error) {
	defer b.begin() // HAZ defer-func-result-not-called
	return p.transport.RoundTrip(p.outbound(ctx, r, b, nil))
}

type reply struct {
	resp *http.Response
	err  error
}

// hedged sends r to one backend and, if it has not answered within
// HedgeDelay, to a second one; the first answer wins.
func (p *Proxy) hedged(ctx context.Context, r *http.Request) (*http.Response, error) {
	ch := make(chan reply)
	for i := 0; i < 2; i++ {
		if i > 0 {
			select {
			case rep := <-ch:
				return rep.resp, rep.err
			case <-time.After(p.opts.HedgeDelay):
			}
		}
		b, err := p.pool.Pick()
		if err != nil {
			return nil, err
		}
		go func() {
			resp, err := p.send(ctx, b, r)
			ch <- reply{resp, err} // HAZ goroutine-blocked-send
		}()
	}
	select {
	case rep := <-ch:
		return rep.resp, rep.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// timed runs fn and records its duration under name once it returns.
func (p *Proxy) timed(name string, fn func() error) error {
	start := time.Now()
	defer func() {
		p.attempts.Add(name+".ms", time.Since(start).Milliseconds())
	}()
	return fn()
}
