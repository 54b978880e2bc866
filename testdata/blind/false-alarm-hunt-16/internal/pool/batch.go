package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ProcessAll runs fn for every item with at most limit calls in flight and
// returns the errors joined.
func ProcessAll[T any](ctx context.Context, items []T, limit int, fn func(context.Context, T) error) error {
	if limit < 1 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	errs := make(chan error, len(items))
	var wg sync.WaitGroup

	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			close(errs)
			return errors.Join(append(collect(errs), ctx.Err())...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, it); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}

// RefreshAll refreshes every key concurrently. Keys not yet started when ctx
// is cancelled are skipped.
func RefreshAll(ctx context.Context, keys []string, refresh func(context.Context, string) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			if ctx.Err() != nil {
				return
			}
			if err := refresh(ctx, k); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("refresh %s: %w", k, err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// Shard is one partition of a cache.
type Shard struct {
	Name string
	warm atomic.Bool
}

// Warm reports whether the shard has been loaded.
func (s *Shard) Warm() bool { return s.warm.Load() }

// MarkWarm records that the shard has been loaded.
func (s *Shard) MarkWarm() { s.warm.Store(true) }

// Preload loads every shard that is not warm yet, concurrently.
func Preload(shards []*Shard, load func(*Shard) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sh.Warm() {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if errs[i] = load(sh); errs[i] == nil {
				sh.MarkWarm()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Group runs functions concurrently and collects their errors. Every
// goroutine it starts goes through run, which always marks itself done.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go runs fn in a new goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go g.run(fn)
}

func (g *Group) run(fn func() error) {
	defer g.wg.Done()
	if err := fn(); err != nil {
		g.mu.Lock()
		g.errs = append(g.errs, err)
		g.mu.Unlock()
	}
}

// Wait waits for every function started with Go and returns their errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}

// UploadParts uploads parts concurrently, stopping at the first empty part,
// and returns how many parts were started.
func UploadParts(parts [][]byte, put func(idx int, b []byte) error) (int, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		i    int
	)
	for i = 0; i < len(parts); i++ {
		if len(parts[i]) == 0 {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := put(i, parts[i]); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}

// UploadAll uploads every part concurrently; the loop variables are per
// iteration.
func UploadAll(parts [][]byte, put func(idx int, b []byte) error) error {
	var g Group
	for i, p := range parts {
		g.Go(func() error { return put(i, p) })
	}
	return g.Wait()
}
