package gateway

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
)

var ErrNotFound = errors.New("gateway: not found")

type Hit struct {
	Index string
	ID    string
	Score float64
}

type Index interface {
	Name() string
	Search(ctx context.Context, q string) ([]Hit, error)
}

// Searcher fans a query out to every index shard.
type Searcher struct {
	indexes []Index
	log     *slog.Logger
}

// SearchAll streams hits from every index and stops once limit hits have
// been collected.
func (s *Searcher) SearchAll(ctx context.Context, q string, limit int) ([]Hit, error) {
	hits := make(chan Hit, 64)
	defer close(hits) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, idx := range s.indexes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := idx.Search(ctx, q)
			if err != nil {
				s.log.Warn("index search failed", "index", idx.Name(), "err", err)
				return
			}
			for _, h := range res {
				hits <- h
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	var out []Hit
	for {
		select {
		case h := <-hits:
			out = append(out, h)
			if len(out) >= limit {
				return out, nil
			}
		case <-done:
			for {
				select {
				case h := <-hits:
					out = append(out, h)
				default:
					return out, nil
				}
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// RunAll starts the gateway's background loops and blocks until ctx is done.
func (s *Service) RunAll(ctx context.Context, loops map[string]func(context.Context)) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("gateway service panicked", "panic", r)
		}
	}()
	for name, loop := range loops {
		s.log.Info("starting background loop", "loop", name)
		go loop(ctx) // HAZ goroutine-outside-recover
	}
	<-ctx.Done()
	s.log.Info("gateway service stopping", "cause", context.Cause(ctx))
}

type KV interface {
	Load(ctx context.Context, key string) ([]byte, error)
	Store(key string, val []byte)
}

// CacheWarmer preloads hot keys after a deploy.
type CacheWarmer struct {
	kv  KV
	log *slog.Logger
}

// Warm loads every key in parallel and reports how many were loaded.
func (w *CacheWarmer) Warm(ctx context.Context, keys []string) int {
	var (
		wg     sync.WaitGroup
		loaded atomic.Int64
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			v, err := w.kv.Load(ctx, k)
			switch {
			case errors.Is(err, ErrNotFound):
				wg.Done() // HAZ waitgroup-done-path
			case err != nil:
				w.log.Warn("warm-up load failed", "key", k, "err", err)
			default:
				w.kv.Store(k, v)
				loaded.Add(1)
				wg.Done()
			}
		}()
	}
	wg.Wait()
	return int(loaded.Load())
}
