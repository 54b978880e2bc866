package usage

import (
	"context"
	"sync"
	"time"
)

// Prober is a sink that can be health-checked.
type Prober interface {
	SinkName() string
	Ping(ctx context.Context) error
}

type probeResult struct {
	name string
	err  error
}

// ProbeSinks pings every sink and returns the answers that arrived within
// timeout; sinks that did not answer are missing from the map.
func ProbeSinks(ctx context.Context, sinks []Prober, timeout time.Duration) map[string]error {
	results := make(chan probeResult, len(sinks))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range sinks {
		go func(p Prober) {
			results <- probeResult{p.SinkName(), p.Ping(ctx)}
		}(p)
	}
	out := make(map[string]error, len(sinks))
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for range sinks {
		select {
		case r := <-results:
			out[r.name] = r.err
		case <-timer.C:
			return out
		}
	}
	return out
}

// ProbeAll pings every sink and waits for all of them; each ping is bounded
// by ctx.
func ProbeAll(ctx context.Context, sinks []Prober) map[string]error {
	results := make(chan probeResult)
	var wg sync.WaitGroup
	for _, p := range sinks {
		wg.Add(1)
		go func(p Prober) {
			defer wg.Done()
			results <- probeResult{p.SinkName(), p.Ping(ctx)}
		}(p)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	out := make(map[string]error, len(sinks))
	for r := range results {
		out[r.name] = r.err
	}
	return out
}

// FirstHealthy returns the name of the first sink that answers its ping.
// The channel is buffered for every prober, so the slower ones can finish
// after we returned.
func FirstHealthy(ctx context.Context, sinks []Prober) (string, bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan probeResult, len(sinks))
	for _, p := range sinks {
		go func(p Prober) {
			results <- probeResult{p.SinkName(), p.Ping(ctx)}
		}(p)
	}
	for range sinks {
		select {
		case r := <-results:
			if r.err == nil {
				return r.name, true
			}
		case <-ctx.Done():
			return "", false
		}
	}
	return "", false
}
