//go:build go1.21

package shard

import (
	"context"
	"log"
)

// StartLegacy starts enabled shards for the legacy routing table. This file
// is pinned to go1.21 language semantics by its build constraint.
func (p *Pool) StartLegacy(ctx context.Context) int {
	started := 0
	for _, s := range p.shards {
		if s.disabled {
			continue
		}
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			s.run(ctx)
		}()
		started++
	}
	log.Printf("shard: started %d legacy shards", started)
	return started
}

// StartLegacyCopied is the same loop with the per-iteration copy.
func (p *Pool) StartLegacyCopied(ctx context.Context) int {
	started := 0
	for _, s := range p.shards {
		s := s
		if s.disabled {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			s.run(ctx)
		}()
		started++
	}
	return started
}

// StartLegacyArg passes the shard as an argument.
func (p *Pool) StartLegacyArg(ctx context.Context) int {
	started := 0
	for _, s := range p.shards {
		if s.disabled {
			continue
		}
		p.wg.Add(1)
		go func(s *Shard) {
			defer p.wg.Done()
			s.run(ctx)
		}(s)
		started++
	}
	return started
}
