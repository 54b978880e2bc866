package shard

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// pauseRouting stops Route from accepting keys and returns the func that
// resumes it.
func (p *Pool) pauseRouting() (resume func()) {
	p.paused.Store(true)
	return func() { p.paused.Store(false) }
}

// Resize waits for the shard queues to empty with routing paused, then
// resumes routing.
func (p *Pool) Resize(ctx context.Context) error {
	defer p.pauseRouting()() // pause now, resume on return
	return p.waitEmpty(ctx)
}

// Compact is meant to do the same around its own wait.
func (p *Pool) Compact(ctx context.Context) error {
	defer p.pauseRouting() // HAZ defer-func-result-not-called
	return p.waitEmpty(ctx)
}

func (p *Pool) waitEmpty(ctx context.Context) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		empty := true
		for _, s := range p.shards {
			if len(s.keys) > 0 {
				empty = false
				break
			}
		}
		if empty {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// DispatchDirect hands one key to every shard's handler concurrently,
// bypassing the queues, and waits for them.
func (p *Pool) DispatchDirect(ctx context.Context, key string) {
	var wg sync.WaitGroup
	for _, s := range p.shards {
		wg.Add(1)
		go func() {
			s.handle(ctx, s.ID, key)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// DispatchAll is DispatchDirect with the Done deferred, so a panicking
// handler still releases the WaitGroup.
func (p *Pool) DispatchAll(ctx context.Context, key string) {
	var wg sync.WaitGroup
	for _, s := range p.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handle(ctx, s.ID, key)
		}()
	}
	wg.Wait()
}

func (s *Shard) ping(ctx context.Context) error {
	select {
	case s.keys <- "":
		return nil
	case <-ctx.Done():
		return fmt.Errorf("shard %d: %w", s.ID, ctx.Err())
	}
}

// Probe checks that every shard accepts work, failing fast on the first error.
func (p *Pool) Probe(ctx context.Context) error {
	errc := make(chan error, len(p.shards))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, s := range p.shards {
		go func() { errc <- s.ping(ctx) }()
	}
	for range p.shards {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ProbeAll collects every shard's answer before returning; the channel is
// closed only after all senders have finished.
func (p *Pool) ProbeAll(ctx context.Context) error {
	errc := make(chan error, len(p.shards))
	var wg sync.WaitGroup
	for _, s := range p.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- s.ping(ctx)
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

// handleQuietly shields the shard loop from a panicking handler.
func (s *Shard) handleQuietly(ctx context.Context, key string) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	s.handle(ctx, s.ID, key)
}

// handleLogged shields the loop and logs what it recovered.
func (s *Shard) handleLogged(ctx context.Context, key string) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("shard %d: handler panicked on %q: %v", s.ID, key, r)
		}
	}()
	s.handle(ctx, s.ID, key)
}
