package fanout

import (
	"sync"
)

// Prefetcher loads keys into a cache ahead of demand.
type Prefetcher[K comparable, V any] struct {
	fetch  func(K) (V, error)
	store  func(K, V)
	cached func(K) bool
	logf   func(format string, args ...any)
}

// NewPrefetcher returns a prefetcher. cached may be nil.
func NewPrefetcher[K comparable, V any](fetch func(K) (V, error), store func(K, V), cached func(K) bool, logf func(string, ...any)) *Prefetcher[K, V] {
	if cached == nil {
		cached = func(K) bool { return false }
	}
	return &Prefetcher[K, V]{fetch: fetch, store: store, cached: cached, logf: logf}
}

// Warm fetches every key that is not cached yet and waits for the fetches.
func (p *Prefetcher[K, V]) Warm(keys []K) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			if p.cached(k) {
				return
			}
			wg.Add(1)
			v, err := p.fetch(k)
			if err != nil {
				p.logf("prefetch %v: %v", k, err)
				return
			}
			p.store(k, v)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// WarmAll fetches every uncached key. The counter is incremented before
// each goroutine starts and Done is deferred, so every path decrements it.
func (p *Prefetcher[K, V]) WarmAll(keys []K) int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed int
	)
	for _, k := range keys {
		if p.cached(k) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := p.fetch(k)
			if err != nil {
				p.logf("prefetch %v: %v", k, err)
				mu.Lock()
				failed++
				mu.Unlock()
				return
			}
			p.store(k, v)
		}()
	}
	wg.Wait()
	return failed
}
