//go:build go1.21

// This file is shared with tidepool-agent, which still builds with Go 1.21;
// the build line keeps it honest about that.

package replica

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Replicate pushes one archive to every peer in parallel.
func (r *Replicator) Replicate(ctx context.Context, name string, data []byte) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(r.peers))
	started := 0
	for _, peer := range r.peers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := r.push(ctx, peer, name, data); err != nil {
				errs <- fmt.Errorf("replicate %s to %s: %w", name, peer.Name, err)
			}
		}()
		started++
	}
	r.logger.Printf("replica: %s: pushing to %d peers", name, started)
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// ReplicateTo pushes one archive to the named peers only. The peer is
// handed to each goroutine as an argument, which is right under any Go
// version.
func (r *Replicator) ReplicateTo(ctx context.Context, names map[string]bool, name string, data []byte) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(r.peers))
	for _, peer := range r.peers {
		if !names[peer.Name] {
			continue
		}
		wg.Add(1)
		go func(p Peer) {
			defer wg.Done()
			if err := r.push(ctx, p, name, data); err != nil {
				errs <- fmt.Errorf("replicate %s to %s: %w", name, p.Name, err)
			}
		}(peer)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Repair pushes name to every peer that lacks it and returns how many it
// repaired. Each goroutine works on its own copy of the loop variable.
func (r *Replicator) Repair(ctx context.Context, name string, data []byte) (int, error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	repaired := 0
	var errs []error
	for _, peer := range r.peers {
		peer := peer
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := r.has(ctx, peer, name)
			if err == nil && !ok {
				err = r.push(ctx, peer, name, data)
				if err == nil {
					mu.Lock()
					repaired++
					mu.Unlock()
				}
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return repaired, errors.Join(errs...)
}
