// Package shard splits keys over a fixed number of worker shards, each
// with its own goroutine, so that one hot namespace cannot starve others.
package shard

import (
	"context"
	"hash/fnv"
	"log"
	"sync"
	"sync/atomic"
)

// Shard processes the keys that hash to it.
type Shard struct {
	ID       int
	disabled bool
	keys     chan string
	handle   func(ctx context.Context, shard int, key string)
}

// Pool owns the shards and their goroutines.
type Pool struct {
	shards []*Shard
	wg     sync.WaitGroup
	paused atomic.Bool
}

// NewPool creates n shards with a queue of depth each.
func NewPool(n, depth int, handle func(ctx context.Context, shard int, key string)) *Pool {
	p := &Pool{shards: make([]*Shard, n)}
	for i := range p.shards {
		p.shards[i] = &Shard{ID: i, keys: make(chan string, depth), handle: handle}
	}
	return p
}

// Disable stops routing to shard i (it must not be started afterwards).
func (p *Pool) Disable(i int) { p.shards[i].disabled = true }

// Route sends key to its shard, or gives up when ctx ends.
func (p *Pool) Route(ctx context.Context, key string) bool {
	h := fnv.New32a()
	h.Write([]byte(key))
	s := p.shards[int(h.Sum32())%len(p.shards)]
	if s.disabled || p.paused.Load() {
		return false
	}
	select {
	case s.keys <- key:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Shard) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case key := <-s.keys:
			s.handle(ctx, s.ID, key)
		}
	}
}

// StartAll starts every enabled shard; the loop variable is per iteration
// (go 1.22 module, no build constraint in this file).
func (p *Pool) StartAll(ctx context.Context) int {
	started := 0
	for _, s := range p.shards {
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

// Rebalance restarts the first n shards after a resize, for one round.
func (p *Pool) Rebalance(ctx context.Context, n int) {
	var i int
	for i = 0; i < n; i++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.shards[i].run(ctx)
		}()
		log.Printf("shard: rebalance started shard %d", i)
	}
	log.Printf("shard: rebalanced %d of %d shards", i, len(p.shards))
}

// RestartRange is Rebalance with the index passed as an argument.
func (p *Pool) RestartRange(ctx context.Context, n int) {
	var i int
	for i = 0; i < n; i++ {
		p.wg.Add(1)
		go func(idx int) {
			defer p.wg.Done()
			p.shards[idx].run(ctx)
		}(i)
		log.Printf("shard: restarted shard %d", i)
	}
	log.Printf("shard: restarted %d of %d shards", i, len(p.shards))
}

// Wait joins every shard goroutine.
func (p *Pool) Wait() { p.wg.Wait() }
