//go:build go1.21

// This file predates the module's move to Go 1.22 and is still built with the
// Go 1.21 language rules: it only needs min and the slices package.

package proxy

import (
	"context"
	"io"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// warmOne sends one cheap request to b so the transport holds an open
// connection. It returns 1 on success, for easy counting.
func warmOne(ctx context.Context, client *http.Client, b *Backend) int32 {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, b.URL.String(), nil)
	if err != nil {
		return 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	return 1
}

// Warm opens a connection to every backend before the listener starts and
// returns how many answered.
func (p *Pool) Warm(ctx context.Context, client *http.Client, logger *log.Logger) int {
	var (
		wg       sync.WaitGroup
		ok       atomic.Int32
		launched []string
	)
	for _, b := range p.Snapshot() {
		wg.Add(1)
		go func() { defer wg.Done(); ok.Add(warmOne(ctx, client, b)) }() // HAZ loop-var-capture
		launched = append(launched, b.Name)
	}
	wg.Wait()
	logger.Printf("warmed %d/%d backends: %v", ok.Load(), len(launched), launched)
	return int(ok.Load())
}

// waitIdle polls b until it has no request in flight or ctx expires.
func waitIdle(ctx context.Context, b *Backend, poll time.Duration) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	for b.Inflight() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// Drain waits until no backend has requests in flight, at most until ctx ends.
// It returns the first error seen.
func (p *Pool) Drain(ctx context.Context, poll time.Duration) error {
	backends := p.Snapshot()
	var wg sync.WaitGroup
	errs := make(chan error, len(backends))
	for _, b := range backends {
		wg.Add(1)
		go func(b *Backend) {
			defer wg.Done()
			errs <- waitIdle(ctx, b, poll)
		}(b)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ProbeEach runs check against at most limit backends concurrently and
// returns the names that failed.
func (p *Pool) ProbeEach(limit int, check func(*Backend) bool) []string {
	backends := p.Snapshot()
	sem := make(chan struct{}, max(1, min(limit, len(backends))))
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed []string
	)
	for _, b := range backends {
		b := b
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if !check(b) {
				mu.Lock()
				failed = append(failed, b.Name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}
