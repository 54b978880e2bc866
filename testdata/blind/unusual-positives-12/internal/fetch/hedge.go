//go:build go1.22

package fetch

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Hedge sends up to f.retries staggered requests for url and returns the
// first success.
func (f *Fetcher) Hedge(ctx context.Context, url string) ([]byte, error) {
	ch := make(chan result, f.retries)
	var attempt int
	for attempt = 0; attempt < f.retries; attempt++ {
		go func() { // HAZ loop-var-capture
			body, err := f.fetch(ctx, url+"?attempt="+strconv.Itoa(attempt))
			ch <- result{url: url, body: body, err: err}
		}()
		select {
		case r := <-ch:
			if r.err == nil {
				return r.body, nil
			}
		case <-time.After(f.timeout / 4):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, fmt.Errorf("fetch: %s: %d hedged attempts failed", url, attempt)
}

// WarmParallel fetches every url once. This file builds with go1.22
// semantics, so i and u are fresh in every iteration.
func (f *Fetcher) WarmParallel(ctx context.Context, urls []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := 0; i < len(urls); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.fetch(ctx, urls[i]); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ok
}

// PrefetchKeys prefetches by key; per-iteration k and u under go1.22.
func (f *Fetcher) PrefetchKeys(ctx context.Context, byKey map[string]string) {
	var wg sync.WaitGroup
	for k, u := range byKey {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.prefetch(ctx, u)
			f.log.Printf("prefetched %s", k)
		}()
	}
	wg.Wait()
}
