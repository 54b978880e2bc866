//go:build !go1.22

package upstream

import (
	"context"
	"sync"
)

// probeEach pings every upstream concurrently (pre-Go 1.22 variant: the
// loop variable is passed as an argument).
func (p *Pool) probeEach(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range p.Upstreams() {
		wg.Add(1)
		go func(u *Upstream) {
			defer wg.Done()
			p.probe(ctx, u)
		}(u)
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
	for i := from; i < to; i++ {
		wg.Add(1)
		go func(u *Upstream) {
			defer wg.Done()
			p.probe(ctx, u)
		}(ups[i])
	}
	wg.Wait()
	p.mu.Lock()
	p.lastProbed = to
	p.mu.Unlock()
}
