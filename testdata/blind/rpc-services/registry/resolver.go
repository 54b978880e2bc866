package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Resolver looks services up in a remote registry, with a short cache.
type Resolver struct {
	hc      *http.Client
	base    string
	ttl     time.Duration
	mu      sync.Mutex
	cache   map[string]cacheEntry
	fetches atomic.Int64
}

type cacheEntry struct {
	insts []Instance
	at    time.Time
}

// NewResolver talks to the registry API at base, e.g. "http://registry:7070".
func NewResolver(base string, hc *http.Client, ttl time.Duration) *Resolver {
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	return &Resolver{hc: hc, base: base, ttl: ttl, cache: make(map[string]cacheEntry)}
}

// Resolve returns the instances of service. When the registry is down it
// serves the last known answer.
func (r *Resolver) Resolve(ctx context.Context, service string) ([]Instance, error) {
	r.mu.Lock()
	e, ok := r.cache[service]
	r.mu.Unlock()
	if ok && time.Since(e.at) < r.ttl {
		return e.insts, nil
	}
	insts, err := r.fetch(ctx, service)
	if err != nil {
		if ok {
			return e.insts, nil
		}
		return nil, err
	}
	r.mu.Lock()
	r.cache[service] = cacheEntry{insts: insts, at: time.Now()}
	r.mu.Unlock()
	return insts, nil
}

func (r *Resolver) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+path, nil)
	if err != nil {
		return nil, err
	}
	r.fetches.Add(1)
	return r.hc.Do(req)
}

func (r *Resolver) fetch(ctx context.Context, service string) ([]Instance, error) {
	resp, err := r.get(ctx, "/v1/services/"+url.PathEscape(service))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", service, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("resolve %s: registry answered %s", service, resp.Status)
	}
	return decodeInstances(resp.Body)
}

func decodeInstances(rd io.Reader) ([]Instance, error) {
	var out []Instance
	if err := json.NewDecoder(io.LimitReader(rd, 8<<20)).Decode(&out); err != nil {
		return nil, fmt.Errorf("decode instances: %w", err)
	}
	return out, nil
}

// Invalidate forgets the cached answer for service.
func (r *Resolver) Invalidate(service string) {
	r.mu.Lock()
	delete(r.cache, service)
	r.mu.Unlock()
}

// Fetches returns how many registry requests were made.
func (r *Resolver) Fetches() int64 { return r.fetches.Load() }

// ResolveAll resolves several services concurrently. Every sender has
// finished (wg.Wait) before the deferred close runs.
func (r *Resolver) ResolveAll(ctx context.Context, services []string) (map[string][]Instance, error) {
	type result struct {
		service string
		insts   []Instance
		err     error
	}
	results := make(chan result, len(services))
	defer close(results)
	var wg sync.WaitGroup
	for _, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			insts, err := r.Resolve(ctx, svc)
			results <- result{service: svc, insts: insts, err: err}
		}()
	}
	wg.Wait()
	out := make(map[string][]Instance, len(services))
	for range services {
		res := <-results
		if res.err != nil {
			return nil, res.err
		}
		out[res.service] = res.insts
	}
	return out, nil
}

// WatchForever follows the registry event stream for service and calls
// onEvent for every change, reconnecting when the stream breaks. It is
// started once per process in its own goroutine.
func (r *Resolver) WatchForever(service string, onEvent func(Event)) {
	for {
		resp, err := r.get(context.Background(), "/v1/events/"+url.PathEscape(service))
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		dec := json.NewDecoder(resp.Body)
		for {
			var ev Event
			if err := dec.Decode(&ev); err != nil {
				break
			}
			r.Invalidate(service)
			onEvent(ev)
		}
	}
}

// Watch follows the event stream until ctx ends. Each connection is closed
// by a deferred call inside its own function literal.
func (r *Resolver) Watch(ctx context.Context, service string, onEvent func(Event)) error {
	for ctx.Err() == nil {
		err := func() error {
			resp, err := r.get(ctx, "/v1/events/"+url.PathEscape(service))
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			dec := json.NewDecoder(resp.Body)
			for {
				var ev Event
				if err := dec.Decode(&ev); err != nil {
					return err
				}
				r.Invalidate(service)
				onEvent(ev)
			}
		}()
		if err != nil && ctx.Err() == nil {
			t := time.NewTimer(time.Second)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
	}
	return ctx.Err()
}
