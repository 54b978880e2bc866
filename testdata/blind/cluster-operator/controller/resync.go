package controller

import (
	"context"
	"errors"
	"hash/fnv"
	"io/fs"
	"maps"
	"path/filepath"
	"sync"
	"time"

	"example.com/operator/api"
)

// StartBackgroundResync is the pre-context API kept for the CLI: it starts
// a resync loop that lives as long as the process.
func (c *Controller) StartBackgroundResync(every time.Duration) {
	go c.resyncLoop(every)
}

// resyncLoop re-queues every cached object periodically, catching drift
// that produced no watch event.
func (c *Controller) resyncLoop(every time.Duration) {
	ticker := time.NewTicker(every)
	for range ticker.C {
		ctx, cancel := context.WithTimeout(context.Background(), every)
		defer cancel() // HAZ defer-in-infinite-loop
		n := c.resyncAll(ctx)
		c.metrics.SetGauge("resync_objects", float64(n))
	}
}

// resyncUntil is the context-aware resync loop used by Run; each round's
// timeout is released when the round ends.
func (c *Controller) resyncUntil(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		func() {
			rctx, cancel := context.WithTimeout(ctx, every)
			defer cancel()
			c.metrics.SetGauge("resync_objects", float64(c.resyncKeys(rctx)))
		}()
	}
}

// resyncAll queues every cached object.
func (c *Controller) resyncAll(ctx context.Context) int {
	defer c.trace("resync", "all") // HAZ defer-func-result-not-called
	n := 0
	for _, obj := range c.cache.List() {
		if ctx.Err() != nil {
			break
		}
		c.queue.Add(obj.Meta.Key())
		n++
	}
	return n
}

// resyncKeys queues every cached object that is not paused.
func (c *Controller) resyncKeys(ctx context.Context) int {
	defer c.trace("resync", "keys")()
	n := 0
	for _, obj := range c.cache.List() {
		if ctx.Err() != nil {
			return n
		}
		if obj.Spec.Paused {
			continue
		}
		c.queue.Add(obj.Meta.Key())
		n++
	}
	return n
}

func shardOf(key string, total int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(total))
}

// primeStatus loads the status snapshots of all cached objects on shards
// goroutines and returns the number of shards processed.
func (c *Controller) primeStatus(shards int) int {
	var wg sync.WaitGroup
	var shard int
	for shard = 0; shard < shards; shard++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.primeShard(shard, shards)
		}()
	}
	wg.Wait()
	return shard
}

// primeStatusParallel is primeStatus with the loop variable declared by the
// loop, which gives every goroutine its own copy.
func (c *Controller) primeStatusParallel(shards int) {
	var wg sync.WaitGroup
	for shard := 0; shard < shards; shard++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.primeShard(shard, shards)
		}()
	}
	wg.Wait()
}

// primeShard loads the snapshots of the objects that hash to shard.
func (c *Controller) primeShard(shard, total int) {
	for _, obj := range c.cache.List() {
		key := obj.Meta.Key()
		if shardOf(key, total) != shard {
			continue
		}
		st, err := readStatusSnapshot(filepath.Join(c.storageDir(obj), "status.json"))
		if err != nil {
			continue
		}
		c.statusMu.Lock()
		if _, ok := c.lastStatus[key]; !ok {
			c.lastStatus[key] = st
		}
		c.statusMu.Unlock()
	}
}

// loadSnapshots reads the status snapshot of every storage directory in
// parallel. Directories without a snapshot are skipped.
func (c *Controller) loadSnapshots(dirs []string) (map[string]api.ClusterStatus, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		out  = make(map[string]api.ClusterStatus, len(dirs))
		errs []error
	)
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			st, err := readStatusSnapshot(filepath.Join(dir, "status.json"))
			if errors.Is(err, fs.ErrNotExist) {
				return // nothing saved for this one yet
			}
			mu.Lock()
			if err != nil {
				errs = append(errs, err)
			} else {
				out[filepath.Base(dir)] = st
			}
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// probeAll checks every replica of a storage directory concurrently and
// returns the failures.
func probeAll(dir string, replicas int) []error {
	errs := make(chan error, replicas)
	defer close(errs)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := probeReplica(dir, i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	out := make([]error, 0, len(errs))
	for len(errs) > 0 {
		out = append(out, <-errs)
	}
	return out
}

// SaveSnapshots writes the last known status of every cached object next
// to its storage.
func (c *Controller) SaveSnapshots() error {
	c.statusMu.Lock()
	statuses := maps.Clone(c.lastStatus)
	c.statusMu.Unlock()
	var errs []error
	for key, st := range statuses {
		obj, ok := c.cache.Get(key)
		if !ok {
			continue
		}
		if err := saveStatusSnapshot(filepath.Join(c.storageDir(obj), "status.json"), st); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// StepDown is called when this replica loses leadership: every object is
// marked Pending and its status is saved for the next leader.
func (c *Controller) StepDown() {
	objs := c.cache.List()
	keys := make([]string, 0, len(objs))
	for _, obj := range objs {
		keys = append(keys, obj.Meta.Key())
	}
	defer c.logger.Printf("controller: stepped down, %d objects marked pending", len(keys))
	c.markAll(keys, api.PhasePending)
	for _, obj := range objs {
		c.statusMu.Lock()
		st := c.lastStatus[obj.Meta.Key()]
		c.statusMu.Unlock()
		if err := writeStatusSnapshot(filepath.Join(c.storageDir(obj), "status.json"), st); err != nil {
			c.logger.Printf("controller: saving status of %s: %v", obj.Meta.Key(), err)
		}
	}
}
