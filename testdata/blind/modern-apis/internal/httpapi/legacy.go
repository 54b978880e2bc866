//go:build go1.21

// This file is kept at go1.21 language semantics (the build constraint sets
// the file's version) while the old warm-up code is being ported.

package httpapi

import (
	"context"
	"io"
	"net/http"
	"sync"
)

// WarmKeys fetches each key from the store into the cache concurrently.
func (s *Server) WarmKeys(keys []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	warmed := 0
	for _, key := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			b, err := s.store.Get(key)
			if err != nil {
				return
			}
			s.cache.Put(key, b)
			mu.Lock()
			warmed++
			mu.Unlock()
		}()
		s.log.Debug("warming", "key", key)
	}
	wg.Wait()
	return warmed
}

// WarmKeysArg is WarmKeys with the key passed as an argument, which is
// correct at any language version.
func (s *Server) WarmKeysArg(keys []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	warmed := 0
	for _, key := range keys {
		wg.Add(1)
		go func(key string) {
			defer wg.Done()
			b, err := s.store.Get(key)
			if err != nil {
				return
			}
			s.cache.Put(key, b)
			mu.Lock()
			warmed++
			mu.Unlock()
		}(key)
	}
	wg.Wait()
	return warmed
}

// WarmUpstream fetches paths from the upstream into the cache; the loop
// variable is copied before the goroutine captures it.
func (s *Server) WarmUpstream(ctx context.Context, paths []string) {
	var wg sync.WaitGroup
	for _, p := range paths {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.upstreamURL(p), nil)
			if err != nil {
				return
			}
			resp, err := s.client.Do(req)
			if err != nil {
				return
			}
			defer resp.Body.Close()
			if b, err := io.ReadAll(resp.Body); err == nil {
				s.cache.Put(p, b)
			}
		}()
	}
	wg.Wait()
}

// CloseAll closes every body, each in its own deferred-call scope.
func CloseAll(bodies []io.ReadCloser) {
	for i := range bodies {
		func() {
			defer bodies[i].Close()
			io.Copy(io.Discard, bodies[i])
		}()
	}
}
