package replication

import (
	"context"
	"net/http"
	"time"
)

// probe asks one peer for its health endpoint.
func (r *Replicator) probe(ctx context.Context, p Peer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/healthz", nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := r.client.Do(req)
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if rtt > r.probeTimeout/2 {
		r.logger.Printf("replication: peer %s is slow: health answered in %s", p.Name, rtt)
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{peer: p.Name, code: resp.StatusCode}
	}
	return nil
}

// HealthLoop probes every peer periodically until ctx is cancelled.
func (r *Replicator) HealthLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for name, err := range r.checkAll(ctx) {
				r.recordResult(name, err)
			}
		}
	}
}

// checkAll probes every peer concurrently and collects the answers that
// arrive within the probe timeout; a peer that did not answer in time is
// reported as unreachable.
func (r *Replicator) checkAll(ctx context.Context) map[string]error {
	type result struct {
		peer string
		err  error
	}
	results := make(chan result, len(r.peers))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range r.peers {
		go func() {
			results <- result{peer: p.Name, err: r.probe(ctx, p)}
		}()
	}
	out := make(map[string]error, len(r.peers))
	timeout := time.NewTimer(r.probeTimeout)
	defer timeout.Stop()
	for range r.peers {
		select {
		case res := <-results:
			out[res.peer] = res.err
		case <-timeout.C:
			for _, p := range r.peers {
				if _, ok := out[p.Name]; !ok {
					out[p.Name] = context.DeadlineExceeded
				}
			}
			return out
		}
	}
	return out
}

// ProbeEach probes every peer concurrently and waits for every answer.
func (r *Replicator) ProbeEach(ctx context.Context) map[string]error {
	type result struct {
		peer string
		err  error
	}
	results := make(chan result)
	defer close(results)
	for _, p := range r.peers {
		go func() {
			results <- result{peer: p.Name, err: r.probe(ctx, p)}
		}()
	}
	out := make(map[string]error, len(r.peers))
	for range r.peers {
		res := <-results
		out[res.peer] = res.err
	}
	return out
}
