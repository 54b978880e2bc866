package cache

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/falsealarm5/internal/syncx"
)

// LoaderFunc fetches a value on a miss.
type LoaderFunc[V any] func(ctx context.Context, key string) (V, error)

type stamped[V any] struct {
	val    V
	loaded time.Time
}

// Loading is an LRU in front of a loader, with duplicate suppression and
// background refresh of stale entries.
type Loading[V any] struct {
	lru     *LRU[string, stamped[V]]
	group   Group[V]
	load    LoaderFunc[V]
	refresh time.Duration
	timeout time.Duration
	logger  *log.Logger

	mu         sync.Mutex
	refreshing map[string]bool
	wg         sync.WaitGroup
}

// NewLoading returns a loading cache of the given size.
func NewLoading[V any](size int, load LoaderFunc[V], refresh, timeout time.Duration, logger *log.Logger) *Loading[V] {
	return &Loading[V]{
		lru: NewLRU[string, stamped[V]](size), load: load, refresh: refresh,
		timeout: timeout, logger: logger, refreshing: map[string]bool{},
	}
}

// safeLoad runs the loader and turns a panic into an error.
func (l *Loading[V]) safeLoad(ctx context.Context, key string) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: loader panicked for %q: %v", key, r)
		}
	}()
	return l.load(ctx, key)
}

// Get returns the cached value or loads it once for all concurrent callers.
func (l *Loading[V]) Get(ctx context.Context, key string) (V, error) {
	if s, ok := l.lru.Get(key); ok {
		if l.refresh > 0 && time.Since(s.loaded) > l.refresh {
			l.refreshAsync(key)
		}
		return s.val, nil
	}
	v, err, _ := l.group.Do(key, func() (V, error) {
		v, err := l.safeLoad(ctx, key)
		if err == nil {
			l.lru.Add(key, stamped[V]{v, time.Now()})
		}
		return v, err
	})
	return v, err
}

// beginRefresh marks key as refreshing; false if it already is.
func (l *Loading[V]) beginRefresh(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refreshing[key] {
		return false
	}
	l.refreshing[key] = true
	return true
}

func (l *Loading[V]) endRefresh(key string) {
	l.mu.Lock()
	delete(l.refreshing, key)
	l.mu.Unlock()
}

// refreshAsync reloads a stale key in the background.
func (l *Loading[V]) refreshAsync(key string) {
	if !l.beginRefresh(key) {
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
		defer cancel()
		v, err := l.load(ctx, key)
		l.endRefresh(key)
		if err != nil {
			l.logger.Printf("cache: refreshing %q: %v", key, err)
			return
		}
		l.lru.Add(key, stamped[V]{v, time.Now()})
	}()
}

// Prefetch loads keys in parallel, bounded by workers, and waits. Loader
// panics are converted to errors by safeLoad and logged.
func (l *Loading[V]) Prefetch(ctx context.Context, keys []string, workers int) int {
	if workers < 1 {
		workers = 1
	}
	sem := syncx.NewSemaphore(workers)
	var mu sync.Mutex
	loaded := 0
	var wg sync.WaitGroup
	for _, k := range keys {
		if err := sem.Acquire(ctx); err != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer sem.Release()
			v, err := l.safeLoad(ctx, k)
			if err != nil {
				l.logger.Printf("cache: prefetch %q: %v", k, err)
				return
			}
			l.lru.Add(k, stamped[V]{v, time.Now()})
			mu.Lock()
			loaded++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return loaded
}

// Close waits for background refreshes.
func (l *Loading[V]) Close() { l.wg.Wait() }
