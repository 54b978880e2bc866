// Package cache provides the read-through caches used by the services.
package cache

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Loader fetches the value for a key from the backing store.
type Loader interface {
	Load(ctx context.Context, key string) ([]byte, error)
}

// LoaderFunc adapts a function to Loader.
type LoaderFunc func(ctx context.Context, key string) ([]byte, error)

// Load calls f.
func (f LoaderFunc) Load(ctx context.Context, key string) ([]byte, error) { return f(ctx, key) }

type entry struct {
	val     []byte
	fetched time.Time
}

// ReadThrough is a sync.Map backed cache that loads missing keys.
type ReadThrough struct {
	m      sync.Map // string -> *entry
	loader Loader
	hits   int64
	misses int64
}

// NewReadThrough returns a cache over loader.
func NewReadThrough(loader Loader) *ReadThrough {
	return &ReadThrough{loader: loader}
}

// Get returns the cached value for key, loading it on a miss.
func (c *ReadThrough) Get(ctx context.Context, key string) ([]byte, error) {
	if v, ok := c.m.Load(key); ok {
		atomic.AddInt64(&c.hits, 1)
		return v.(*entry).val, nil
	}
	atomic.AddInt64(&c.misses, 1)
	val, err := c.loader.Load(ctx, key)
	if err != nil {
		return nil, err
	}
	actual, _ := c.m.LoadOrStore(key, &entry{val: val, fetched: time.Now()})
	return actual.(*entry).val, nil
}

// Stats returns the hit and miss counters.
func (c *ReadThrough) Stats() (hits, misses int64) {
	return atomic.LoadInt64(&c.hits), atomic.LoadInt64(&c.misses)
}

// Invalidate drops key.
func (c *ReadThrough) Invalidate(key string) { c.m.Delete(key) }

// Warm loads keys concurrently so that the first requests hit.
func (c *ReadThrough) Warm(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	queued := 0
	for _, k := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.Get(ctx, k); err != nil {
				log.Printf("cache: warm %s: %v", k, err)
			}
		}()
		queued++
	}
	wg.Wait()
	log.Printf("cache: warmed %d keys", queued)
}

// WarmBounded loads keys with at most n loads in flight.
func (c *ReadThrough) WarmBounded(ctx context.Context, keys []string, n int) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, k := range keys {
		k := k
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(ctx, k); err != nil {
				log.Printf("cache: warm %s: %v", k, err)
			}
			<-sem
		}()
	}
	wg.Wait()
}

// RefreshOlderThan reloads every entry fetched before the cutoff. sync.Map's
// Range hands each key to a fresh callback invocation.
func (c *ReadThrough) RefreshOlderThan(ctx context.Context, age time.Duration) int {
	cutoff := time.Now().Add(-age)
	var wg sync.WaitGroup
	var n int64
	c.m.Range(func(key, value interface{}) bool {
		if value.(*entry).fetched.After(cutoff) {
			return true
		}
		wg.Add(1)
		go func() { // ok: key is this callback's parameter
			defer wg.Done()
			k := key.(string)
			val, err := c.loader.Load(ctx, k)
			if err != nil {
				return
			}
			c.m.Store(k, &entry{val: val, fetched: time.Now()})
			atomic.AddInt64(&n, 1)
		}()
		return true
	})
	wg.Wait()
	return int(atomic.LoadInt64(&n))
}

// Keys returns the cached keys.
func (c *ReadThrough) Keys() []string {
	var keys []string
	c.m.Range(func(key, _ interface{}) bool {
		keys = append(keys, key.(string))
		return true
	})
	return keys
}

// Janitor drops entries older than ttl every interval until ctx ends.
func (c *ReadThrough) Janitor(ctx context.Context, ttl, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			c.m.Range(func(key, value interface{}) bool {
				if now.Sub(value.(*entry).fetched) > ttl {
					c.m.Delete(key)
				}
				return true
			})
		}
	}
}
