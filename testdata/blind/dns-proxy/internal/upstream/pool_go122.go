//go:build go1.22

package upstream

import (
	"context"
	"sync"
)

// probeEach pings every upstream concurrently. This file is compiled with
// Go 1.22 semantics, so every iteration has its own u.
func (p *Pool) probeEach(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range p.Upstreams() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.probe(ctx, u)
		}()
	}
	wg.Wait()
}

// probeRange pings ups[from:to] and remembers where it stopped.
func (p *Pool) probeRange(ctx context.Context, from, to int) {
	ups := p.Upstreams()
	if to > len(ups) {
		to = len(ups)
	}
	var wg sync.WaitGroup
	var i int
	for i = from; i < to; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.probe(ctx, ups[i])
		}()
	}
	wg.Wait()
	p.mu.Lock()
	p.lastProbed = i
	p.mu.Unlock()
}
