package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// Prefetch drains the id queue, starting one lookup per id, and returns
// whatever arrived by the time the queue closed or ctx ended.
func (f *Fetcher) Prefetch(ctx context.Context, ids <-chan string) []Meta {
	results := make(chan Meta)
	var out []Meta
	for {
		select {
		case id, ok := <-ids:
			if !ok {
				return out
			}
			go func() {
				m, err := f.fetchOne(ctx, f.mirrors[0], id)
				if err != nil {
					return
				}
				results <- m // HAZ goroutine-blocked-send
			}()
		case m := <-results:
			out = append(out, m)
		case <-ctx.Done():
			return out
		}
	}
}

// PrefetchAll is Prefetch that counts the lookups in flight and receives
// every one of them before returning.
func (f *Fetcher) PrefetchAll(ctx context.Context, ids <-chan string) ([]Meta, error) {
	type result struct {
		m   Meta
		err error
	}
	results := make(chan result)
	pending := 0
	var out []Meta
	var errs []error
	collect := func(r result) {
		pending--
		if r.err != nil {
			errs = append(errs, r.err)
			return
		}
		out = append(out, r.m)
	}
	for ids != nil {
		select {
		case id, ok := <-ids:
			if !ok {
				ids = nil
				break
			}
			pending++
			go func() {
				m, err := f.fetchOne(ctx, f.mirrors[0], id)
				results <- result{m, err}
			}()
		case r := <-results:
			collect(r)
		}
	}
	for pending > 0 {
		collect(<-results)
	}
	return out, errors.Join(errs...)
}

// FirstMirror asks every mirror and returns the first good answer. The
// result channel has room for every sender.
func (f *Fetcher) FirstMirror(ctx context.Context, id string) (Meta, error) {
	type result struct {
		m   Meta
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, len(f.mirrors))
	for _, mirror := range f.mirrors {
		go func() {
			m, err := f.fetchOne(ctx, mirror, id)
			results <- result{m, err}
		}()
	}
	var errs []error
	for range f.mirrors {
		select {
		case r := <-results:
			if r.err == nil {
				return r.m, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return Meta{}, ctx.Err()
		}
	}
	return Meta{}, errors.Join(errs...)
}

type answer struct {
	key, val string
	err      error
}

// Enrich fills the metadata fields of one asset concurrently.
func (f *Fetcher) Enrich(ctx context.Context, id string, meta map[string]string) error {
	lookups := map[string]func(context.Context, string) (string, error){
		"mime":    f.lookupMime,
		"owner":   f.lookupOwner,
		"license": f.lookupLicense,
	}
	answers := make(chan answer)
	for key, lookup := range lookups {
		go func() {
			v, err := lookup(ctx, id)
			answers <- answer{key, v, err} // HAZ goroutine-blocked-send
		}()
	}
	for range lookups {
		a := <-answers
		if a.err != nil {
			return fmt.Errorf("enrich %s: %s: %w", id, a.key, a.err)
		}
		meta[a.key] = a.val
	}
	return nil
}

// EnrichBuffered is Enrich with one buffer slot per lookup, so the early
// return leaves no sender blocked.
func (f *Fetcher) EnrichBuffered(ctx context.Context, id string, meta map[string]string) error {
	lookups := map[string]func(context.Context, string) (string, error){
		"mime":    f.lookupMime,
		"owner":   f.lookupOwner,
		"license": f.lookupLicense,
	}
	answers := make(chan answer, len(lookups))
	for key, lookup := range lookups {
		go func() {
			v, err := lookup(ctx, id)
			answers <- answer{key, v, err}
		}()
	}
	for range lookups {
		a := <-answers
		if a.err != nil {
			return fmt.Errorf("enrich %s: %s: %w", id, a.key, a.err)
		}
		meta[a.key] = a.val
	}
	return nil
}

// Collect fetches the metadata of ids, four at a time, and sends them on
// out, which it closes when it returns.
func (f *Fetcher) Collect(ctx context.Context, ids []string, out chan<- Meta) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	sem := make(chan struct{}, 4)
	for _, id := range ids {
		select {
		case sem <- struct{}{}:
			go func() {
				m, err := f.fetchOne(ctx, f.mirrors[0], id)
				<-sem
				if err == nil {
					out <- m
				}
			}()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// CollectAll is Collect that waits for its senders on every path before
// the deferred close runs; senders give up when ctx ends.
func (f *Fetcher) CollectAll(ctx context.Context, ids []string, out chan<- Meta) error {
	defer close(out)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, id := range ids {
		select {
		case sem <- struct{}{}:
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, err := f.fetchOne(ctx, f.mirrors[0], id)
				<-sem
				if err != nil {
					return
				}
				select {
				case out <- m:
				case <-ctx.Done():
				}
			}()
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
	}
	wg.Wait()
	return nil
}

// Health probes every mirror and returns the ones that answer 200.
func (f *Fetcher) Health() []string {
	probes := make([]func() bool, 0, len(f.mirrors))
	for _, m := range f.mirrors {
		probes = append(probes, func() bool {
			resp, err := f.probe(m + "/healthz")
			defer resp.Body.Close() // HAZ defer-before-error-check
			if err != nil {
				return false
			}
			return resp.StatusCode == http.StatusOK
		})
	}
	var up []string
	for i, probe := range probes {
		if probe() {
			up = append(up, f.mirrors[i])
		}
	}
	return up
}

// HealthChecked is Health with the error checked before the body is
// deferred for closing.
func (f *Fetcher) HealthChecked() []string {
	probes := make(map[string]func() bool, len(f.mirrors))
	for _, m := range f.mirrors {
		probes[m] = func() bool {
			resp, err := f.probe(m + "/healthz")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		}
	}
	var up []string
	for _, m := range f.mirrors {
		if probes[m]() {
			up = append(up, m)
		}
	}
	return up
}
