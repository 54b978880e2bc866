package async

import (
	"context"
	"errors"
	"time"

	"example.com/fah29/internal/syncx"
)

// Loader fronts a slow fetch function with a cache.
type Loader[K comparable, V any] struct {
	fetch func(K) (V, error)
	cache *syncx.Cache[K, V]
	ttl   time.Duration
}

// NewLoader returns a loader that caches fetched values for ttl.
func NewLoader[K comparable, V any](fetch func(K) (V, error), ttl time.Duration) *Loader[K, V] {
	return &Loader[K, V]{fetch: fetch, cache: syncx.NewCache[K, V](1024, nil), ttl: ttl}
}

// Load returns the value for k, waiting as long as fetch takes.
func (l *Loader[K, V]) Load(k K) (V, error) {
	if v, ok := l.cache.Get(k); ok {
		return v, nil
	}
	v, err := l.fetch(k)
	if err != nil {
		return v, err
	}
	l.cache.Set(k, v, l.ttl)
	return v, nil
}

// LoadContext is Load that gives up when ctx is done. A fetch still running
// then stores its value in the cache when it finishes.
func (l *Loader[K, V]) LoadContext(ctx context.Context, k K) (V, error) {
	if v, ok := l.cache.Get(k); ok {
		return v, nil
	}
	ch := make(chan Result[V])
	go func() {
		v, err := l.fetch(k)
		if err == nil {
			l.cache.Set(k, v, l.ttl)
		}
		ch <- Result[V]{Val: v, Err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// LoadWithin is LoadContext with a deadline of d; the result channel has
// room for the late result.
func (l *Loader[K, V]) LoadWithin(ctx context.Context, k K, d time.Duration) (V, error) {
	if v, ok := l.cache.Get(k); ok {
		return v, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ch := make(chan Result[V], 1)
	go func() {
		v, err := l.fetch(k)
		if err == nil {
			l.cache.Set(k, v, l.ttl)
		}
		ch <- Result[V]{Val: v, Err: err}
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Prefetch loads keys concurrently and waits for every fetch.
func (l *Loader[K, V]) Prefetch(keys []K) error {
	errc := make(chan error, len(keys))
	for _, k := range keys {
		go func() {
			_, err := l.Load(k)
			errc <- err
		}()
	}
	var first error
	for range keys {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// LoadPair loads a and b concurrently.
func (l *Loader[K, V]) LoadPair(a, b K) (V, V, error) {
	ca := make(chan Result[V])
	go func() {
		v, err := l.Load(a)
		ca <- Result[V]{Val: v, Err: err} // HAZ goroutine-blocked-send
	}()
	vb, err := l.Load(b)
	if err != nil {
		var zero V
		return zero, zero, err
	}
	ra := <-ca
	return ra.Val, vb, ra.Err
}

// LoadPairWait is LoadPair that always collects both results.
func (l *Loader[K, V]) LoadPairWait(a, b K) (V, V, error) {
	ca := make(chan Result[V])
	go func() {
		v, err := l.Load(a)
		ca <- Result[V]{Val: v, Err: err}
	}()
	vb, errB := l.Load(b)
	ra := <-ca
	return ra.Val, vb, errors.Join(ra.Err, errB)
}
