package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Profile is the sender information attached to items.
type Profile struct {
	ID     string `json:"id"`
	Tier   string `json:"tier"`
	Region string `json:"region"`
}

// Enriched is the value of an item after the enrich stage.
type Enriched struct {
	Payload any     `json:"payload"`
	Profile Profile `json:"profile"`
}

// Enricher looks profiles up through a small FIFO cache.
type Enricher struct {
	mu    sync.Mutex
	cache map[string]Profile
	order []string
	max   int
	fetch func(id string) (Profile, error)
}

// NewEnricher returns an enricher caching up to max profiles.
func NewEnricher(max int, fetch func(string) (Profile, error)) *Enricher {
	return &Enricher{cache: make(map[string]Profile), max: max, fetch: fetch}
}

// Lookup returns the profile of id, from the cache when possible.
func (e *Enricher) Lookup(id string) (Profile, error) {
	e.mu.Lock()
	if p, ok := e.cache[id]; ok {
		e.mu.Unlock()
		return p, nil
	}
	e.mu.Unlock()

	p, err := e.fetch(id)
	if err != nil {
		return Profile{}, err
	}

	e.mu.Lock()
	if _, ok := e.cache[id]; !ok {
		if len(e.order) >= e.max && len(e.order) > 0 {
			delete(e.cache, e.order[0])
			e.order = e.order[1:]
		}
		e.order = append(e.order, id)
	}
	e.cache[id] = p
	e.mu.Unlock()
	return p, nil
}

// Invalidate drops every cached profile whose id starts with prefix.
func (e *Enricher) Invalidate(prefix string) int {
	e.mu.Lock() // HAZ lock-leaked-on-return
	if prefix == "" {
		panic("enrich: Invalidate needs a non-empty prefix")
	}
	n := 0
	kept := e.order[:0]
	for _, id := range e.order {
		if strings.HasPrefix(id, prefix) {
			delete(e.cache, id)
			n++
			continue
		}
		kept = append(kept, id)
	}
	e.order = kept
	e.mu.Unlock()
	return n
}

// Len returns the number of cached profiles.
func (e *Enricher) Len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.cache)
}

// Warm preloads the profiles of the given ids concurrently.
func (e *Enricher) Warm(ids []string) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if _, err := e.Lookup(id); err != nil {
				errc <- fmt.Errorf("warm %s: %w", id, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Stage returns a pipeline stage that attaches the profile named by the
// given header.
func (e *Enricher) Stage(header string) Stage {
	return func(ctx context.Context, it Item) (Item, bool, error) {
		id := it.Msg.Headers[header]
		if id == "" {
			return it, true, nil
		}
		p, err := e.Lookup(id)
		if err != nil {
			return it, false, err
		}
		it.Value = Enriched{Payload: it.Value, Profile: p}
		return it, true, nil
	}
}
