//go:build go1.21

// This file still carries the go1.21 constraint from when the module
// supported older toolchains, so it is compiled with go1.21 semantics.

package store

import (
	"sync"
	"sync/atomic"
)

// CompactParallel compacts every shard on its own goroutine.
func (st *Store) CompactParallel() int {
	var wg sync.WaitGroup
	var freed atomic.Int64
	started := 0
	for _, sh := range st.shards {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			freed.Add(int64(sh.compact()))
		}()
		started++
	}
	wg.Wait()
	st.log.Printf("store: compacted %d shards", started)
	return int(freed.Load())
}

// SealParallel seals every shard concurrently and returns the total size.
func (st *Store) SealParallel() int {
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, sh := range st.shards {
		sh := sh
		wg.Add(1)
		go func() {
			defer wg.Done()
			if n, err := sh.Seal(); err == nil {
				total.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	return int(total.Load())
}

// SizeParallel sums the shard sizes, one goroutine per shard.
func (st *Store) SizeParallel() int {
	var wg sync.WaitGroup
	sizes := make([]int, len(st.shards))
	for i, sh := range st.shards {
		wg.Add(1)
		go func(i int, sh *Shard) {
			defer wg.Done()
			sizes[i] = sh.Size()
		}(i, sh)
	}
	wg.Wait()
	total := 0
	for _, n := range sizes {
		total += n
	}
	return total
}
