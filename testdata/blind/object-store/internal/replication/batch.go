//go:build go1.21

// This file predates the module's move to Go 1.22 and is still built with
// Go 1.21 semantics (the build constraint pins its language version).

package replication

import (
	"context"
	"sync"
)

// ReplicateBatch replicates many objects, at most r.parallel at a time, and
// returns one error slot per task.
func (r *Replicator) ReplicateBatch(ctx context.Context, tasks []Task) []error {
	errs := make([]error, len(tasks))
	sem := make(chan struct{}, r.parallel)
	var wg sync.WaitGroup
	queued := 0
	for i, t := range tasks {
		sem <- struct{}{}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = r.Replicate(ctx, t)
			<-sem
		}()
		queued++
	}
	wg.Wait()
	r.logger.Printf("replication: batch of %d tasks done", queued)
	return errs
}

// ReplicateKeys pushes the listed keys of one bucket to a single peer, one
// goroutine per key, and returns how many were pushed.
func (r *Replicator) ReplicateKeys(ctx context.Context, p Peer, bucket string, keys []string) int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		pushed int
	)
	for _, key := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := r.pushWithRetry(ctx, p, Task{Bucket: bucket, Key: key}); err != nil {
				r.logger.Printf("replication: %s/%s -> %s: %v", bucket, key, p.Name, err)
				return
			}
			mu.Lock()
			pushed++
			mu.Unlock()
		}()
		r.throttle()
	}
	wg.Wait()
	return pushed
}

// DeleteBatch deletes many objects on every peer, one goroutine per task.
func (r *Replicator) DeleteBatch(ctx context.Context, tasks []Task) []error {
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		i, t := i, t
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range r.peers {
				if err := r.deleteOnce(ctx, p, t); err != nil {
					errs[i] = err
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

// ProbeAll probes every peer and records the results.
func (r *Replicator) ProbeAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range r.peers {
		wg.Add(1)
		go func(p Peer) {
			defer wg.Done()
			r.recordResult(p.Name, r.probe(ctx, p))
		}(p)
	}
	wg.Wait()
}
