package export

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Source is something records can be fetched from.
type Source interface {
	Name() string
	Fetch(ctx context.Context) ([]Record, error)
}

type batch struct {
	src  string
	recs []Record
	err  error
}

var errProbeTimeout = errors.New("export: probe timed out")

// spawn runs f on its own goroutine.
func spawn(f func()) {
	go f()
}

// startFetch fetches from s in the background and sends the result on out.
func (e *Exporter) startFetch(ctx context.Context, s Source, out chan<- batch) {
	spawn(func() {
		recs, err := s.Fetch(ctx)
		out <- batch{src: s.Name(), recs: recs, err: err}
	})
}

// startFetchWG is startFetch for callers that wait on wg.
func (e *Exporter) startFetchWG(ctx context.Context, s Source, out chan<- batch, wg *sync.WaitGroup) {
	wg.Add(1)
	spawn(func() {
		defer wg.Done()
		recs, err := s.Fetch(ctx)
		out <- batch{src: s.Name(), recs: recs, err: err}
	})
}

// Gather fetches from all sources and fails fast on the first error.
func (e *Exporter) Gather(ctx context.Context, srcs []Source) ([]Record, error) {
	out := make(chan batch, len(srcs))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, s := range srcs {
		e.startFetch(ctx, s, out)
	}
	var all []Record
	for range srcs {
		select {
		case b := <-out:
			if b.err != nil {
				return nil, fmt.Errorf("gather %s: %w", b.src, b.err)
			}
			all = append(all, b.recs...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return all, nil
}

// GatherAll fetches from all sources and reports every failure.
func (e *Exporter) GatherAll(ctx context.Context, srcs []Source) ([]Record, error) {
	out := make(chan batch, len(srcs))
	defer close(out)
	for _, s := range srcs {
		e.startFetch(ctx, s, out)
	}
	var (
		all  []Record
		errs []error
	)
	for range srcs {
		b := <-out
		if b.err != nil {
			errs = append(errs, fmt.Errorf("gather %s: %w", b.src, b.err))
			continue
		}
		all = append(all, b.recs...)
	}
	return all, errors.Join(errs...)
}

// GatherStream fetches from all sources and hands each batch to fn as it
// arrives.
func (e *Exporter) GatherStream(ctx context.Context, srcs []Source, fn func(string, []Record)) error {
	out := make(chan batch)
	var wg sync.WaitGroup
	for _, s := range srcs {
		e.startFetchWG(ctx, s, out, &wg)
	}
	spawn(func() {
		wg.Wait()
		close(out)
	})
	var errs []error
	for b := range out {
		if b.err != nil {
			errs = append(errs, b.err)
			continue
		}
		fn(b.src, b.recs)
	}
	return errors.Join(errs...)
}

// Probe checks that s answers within the probe timeout.
func (e *Exporter) Probe(ctx context.Context, s Source) error {
	done := make(chan error)
	spawn(func() {
		_, err := s.Fetch(ctx)
		done <- err // HAZ goroutine-blocked-send
	})
	select {
	case err := <-done:
		return err
	case <-time.After(e.probeTimeout):
		return fmt.Errorf("%s: %w", s.Name(), errProbeTimeout)
	}
}

// ProbeAll probes every source concurrently and returns the failures by name.
func (e *Exporter) ProbeAll(ctx context.Context, srcs []Source) map[string]error {
	ctx, cancel := context.WithTimeout(ctx, e.probeTimeout)
	defer cancel()
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(srcs))
	for _, s := range srcs {
		spawn(func() {
			_, err := s.Fetch(ctx)
			results <- result{name: s.Name(), err: err}
		})
	}
	failed := make(map[string]error)
	for range srcs {
		select {
		case r := <-results:
			if r.err != nil {
				failed[r.name] = r.err
			}
		case <-ctx.Done():
			failed["*"] = ctx.Err()
			return failed
		}
	}
	return failed
}
