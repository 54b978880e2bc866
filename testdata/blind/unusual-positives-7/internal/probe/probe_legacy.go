//go:build go1.21

package probe

import (
	"context"
	"sync"
)

// ProbeAll dials every host and reports the error per host. This file is
// built with go1.21 semantics, where a range loop's variables are shared by
// all iterations.
func ProbeAll(ctx context.Context, p *Prober, hosts []string) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(hosts))
	)
	for _, h := range hosts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			err := p.dial(ctx, h)
			mu.Lock()
			out[h] = err
			mu.Unlock()
		}()
		p.log.Printf("probe: dialing %s", h)
	}
	wg.Wait()
	return out
}

// ProbeAllCopy shadows the loop variable with a per-iteration copy.
func ProbeAllCopy(ctx context.Context, p *Prober, hosts []string) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(hosts))
	)
	for _, h := range hosts {
		h := h
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.dial(ctx, h)
			mu.Lock()
			out[h] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// ProbeAllArg passes the loop variable as an argument.
func ProbeAllArg(ctx context.Context, p *Prober, hosts []string) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(hosts))
	)
	for _, h := range hosts {
		wg.Add(1)
		go func(host string) {
			defer wg.Done()
			err := p.dial(ctx, host)
			mu.Lock()
			out[host] = err
			mu.Unlock()
		}(h)
	}
	wg.Wait()
	return out
}
