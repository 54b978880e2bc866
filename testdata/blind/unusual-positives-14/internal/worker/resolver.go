package worker

import (
	"context"
	"fmt"

	"example.com/up14/internal/cache"
)

// Resolver looks host names up through a pluggable backend and caches hits.
type Resolver struct {
	lookup func(ctx context.Context, host string) ([]string, error)
	cache  *cache.Cache[string, []string]
}

// NewResolver wraps lookup with a cache.
func NewResolver(lookup func(context.Context, string) ([]string, error), c *cache.Cache[string, []string]) *Resolver {
	return &Resolver{lookup: lookup, cache: c}
}

type lookupResult struct {
	addrs []string
	err   error
}

func (r *Resolver) resolve(ctx context.Context, host string, reply chan<- lookupResult) {
	addrs, err := r.lookup(ctx, host)
	reply <- lookupResult{addrs, err}
}

// Lookup resolves host, giving up when ctx ends.
func (r *Resolver) Lookup(ctx context.Context, host string) ([]string, error) {
	if addrs, ok := r.cache.Get(host); ok {
		return addrs, nil
	}
	reply := make(chan lookupResult)
	go r.resolve(ctx, host, reply) // HAZ goroutine-blocked-send
	select {
	case res := <-reply:
		if res.err == nil {
			r.cache.Set(host, res.addrs)
		}
		return res.addrs, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LookupAll resolves every host concurrently. Each lookup gets a reply
// channel with room for its one answer, so abandoned lookups still finish.
func (r *Resolver) LookupAll(ctx context.Context, hosts []string) (map[string][]string, error) {
	replies := make(map[string]chan lookupResult, len(hosts))
	for _, h := range hosts {
		ch := make(chan lookupResult, 1)
		replies[h] = ch
		go r.resolve(ctx, h, ch)
	}
	out := make(map[string][]string, len(replies))
	for h, ch := range replies {
		select {
		case res := <-ch:
			if res.err != nil {
				return nil, fmt.Errorf("worker: lookup %s: %w", h, res.err)
			}
			out[h] = res.addrs
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}
