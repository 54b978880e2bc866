//go:build go1.21

// This file keeps the pre-1.22 loop semantics on purpose (its build
// constraint sets the file's language version to go1.21), because it is
// shared with an older branch.

package fanout

import (
	"sync"
)

// Replica is a read replica of the cache.
type Replica struct {
	Addr string
	Lag  int
}

// Replicator copies shards to replicas.
type Replicator struct {
	copyTo func(addr string, shard Shard)
}

// ReplicateShards copies every shard to every replica concurrently.
func (r *Replicator) ReplicateShards(replicas []Replica, shard Shard) int {
	var wg sync.WaitGroup
	started := 0
	for _, rep := range replicas {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			r.copyTo(rep.Addr, shard)
		}()
		started++
	}
	wg.Wait()
	return started
}

// ReplicateIndexed copies shard i to replica i.
func (r *Replicator) ReplicateIndexed(replicas []Replica, shards []Shard) int {
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < len(replicas) && i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			r.copyTo(replicas[i].Addr, shards[i])
		}()
		n++
	}
	wg.Wait()
	return n
}

// ReplicateShadowed is the pre-1.22 fix: copy the variable per iteration.
func (r *Replicator) ReplicateShadowed(replicas []Replica, shard Shard) {
	var wg sync.WaitGroup
	for _, rep := range replicas {
		rep := rep
		wg.Add(1)
		go func() { // ok: shadowed copy
			defer wg.Done()
			r.copyTo(rep.Addr, shard)
		}()
	}
	wg.Wait()
}
