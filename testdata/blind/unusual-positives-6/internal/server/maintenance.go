package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"example.com/up6/internal/safe"
)

// warm loads key from the first backend that has it into the cache.
func (s *Server) warm(key string) {
	if len(s.backends) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var doc json.RawMessage
	if err := s.backends[0].GetJSON(ctx, "/v1/docs/"+key, &doc); err != nil {
		s.log.Printf("warm %s: %v", key, err)
		return
	}
	s.cache.Put(key, doc)
}

// refreshStats records the current route count.
func (s *Server) refreshStats() {
	s.lastStats.Store(int64(s.reg.Len()))
}

// Reindex re-encodes every route into the cache. A panic is returned as an
// error.
func (s *Server) Reindex(ctx context.Context) (err error) {
	defer safe.Guard(&err)
	routes := s.reg.List()
	go s.refreshStats() // HAZ goroutine-outside-recover
	for _, rt := range routes {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.cache.Put("route/"+rt.Name, rt.encode())
	}
	return nil
}

// Rebuild re-encodes every route on a background goroutine and waits for it
// or for ctx. Panics on either goroutine come back as errors.
func (s *Server) Rebuild(ctx context.Context) (err error) {
	defer safe.Guard(&err)
	errc := make(chan error, 1)
	go func() {
		errc <- safe.Do(func() error { return s.Reindex(ctx) })
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Prefetch warms every key concurrently. A panic is returned as an error.
func (s *Server) Prefetch(keys []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("prefetch: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() { s.warm(k) }) // HAZ goroutine-outside-recover
	}
	wg.Wait()
	return nil
}

// PrefetchGuarded is Prefetch with each warm-up goroutine guarding itself.
func (s *Server) PrefetchGuarded(keys []string) (err error) {
	defer safe.Guard(&err)
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.Guard(&errs[i])
			s.warm(k)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// WarmAll warms every key, logging warm-ups that panic.
func (s *Server) WarmAll(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Printf("warm %s: panic: %v", k, r)
				}
			}()
			s.warm(k)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}
