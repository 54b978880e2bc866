package controller

import (
	"context"
	"strings"
	"sync"
	"time"
)

func backoff(attempt int) time.Duration {
	return time.Duration(attempt*attempt) * 50 * time.Millisecond
}

func (r *Reconciler) resyncShard(ctx context.Context, sh *Shard) {
	sh.mu.RLock()
	objs := make([]*Object, 0, len(sh.objects))
	for _, o := range sh.objects {
		objs = append(objs, o)
	}
	sh.mu.RUnlock()
	for _, o := range objs {
		if err := r.syncOne(ctx, o); err != nil {
			r.logger.Printf("shard %d: %v", sh.id, err)
		}
	}
}

func (r *Reconciler) patchLabel(key, name, value string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logger.Printf("patch %s: %s=%s", key, name, value)
}

// ---- loop-var-capture (Go 1.22 file): positives, loop header assigns outer variables ----

// resyncShards resyncs all shards concurrently and reports how many were started.
func (r *Reconciler) resyncShards(ctx context.Context) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(r.shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			r.resyncShard(ctx, r.shards[i])
		}()
	}
	wg.Wait()
	r.logger.Printf("resynced %d shards", i)
	return i
}

// applyLabels patches every public label of obj in the background.
func (r *Reconciler) applyLabels(obj *Object) {
	var name, value string
	for name, value = range obj.Labels {
		if strings.HasPrefix(name, "internal.") {
			continue
		}
		go func() { r.patchLabel(obj.Key(), name, value) }() // HAZ loop-var-capture
	}
	r.logger.Printf("%s: last label scheduled %s=%s", obj.Key(), name, value)
}

// syncWithRetry retries syncOne, recording each failure asynchronously.
func (r *Reconciler) syncWithRetry(ctx context.Context, obj *Object) error {
	var (
		attempt int
		err     error
	)
	for attempt = 1; attempt <= r.cfg.MaxRetries; attempt++ {
		if err = r.syncOne(ctx, obj); err == nil {
			break
		}
		failed := err
		go func() { r.recordFailure(obj.Key(), attempt, failed) }() // HAZ loop-var-capture
		time.Sleep(backoff(attempt))
	}
	if err != nil {
		r.logger.Printf("%s: giving up after %d attempts", obj.Key(), attempt-1)
	}
	return err
}

// ---- loop-var-capture (Go 1.22 file): negatives ----

// resyncShardsRange declares its loop variables; each iteration has its own copy.
func (r *Reconciler) resyncShardsRange(ctx context.Context) {
	var wg sync.WaitGroup
	for _, sh := range r.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.resyncShard(ctx, sh) // ok: Go 1.22 per-iteration variable
		}()
	}
	wg.Wait()
}

// startWorkers starts n workers numbered by a loop-declared index.
func (r *Reconciler) startWorkers(ctx context.Context, queue <-chan *Object) *sync.WaitGroup {
	wg := &sync.WaitGroup{}
	for i := 0; i < r.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for obj := range queue {
				if err := r.syncOne(ctx, obj); err != nil {
					r.logger.Printf("worker %d: %v", i, err) // ok: i declared by the loop
				}
			}
		}()
	}
	return wg
}

// resyncShardsDirect passes the shard as a go-call argument, evaluated immediately.
func (r *Reconciler) resyncShardsDirect(ctx context.Context) int {
	var i int
	for i = 0; i < len(r.shards); i++ {
		go r.resyncShard(ctx, r.shards[i]) // ok: argument evaluated at the go statement
	}
	return i
}

// resyncShardsCopy shadows the outer index with a per-iteration copy.
func (r *Reconciler) resyncShardsCopy(ctx context.Context) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(r.shards); i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.resyncShard(ctx, r.shards[i]) // ok: shadowed copy
		}()
	}
	wg.Wait()
	return i
}

// probeNodes probes every node of every pool with a fixed number of probes each.
func (r *Reconciler) probeNodes(ctx context.Context, pools map[string][]Node, probes int) {
	var wg sync.WaitGroup
pools:
	for pool, nodes := range pools {
		for _, n := range nodes {
			if ctx.Err() != nil {
				break pools
			}
			if n.Unschedulable {
				continue pools
			}
			for range probes {
				deadline := time.Now().Add(r.cfg.Timeout)
				wg.Add(1)
				go func() {
					defer wg.Done()
					r.logger.Printf("probe %s/%s until %s", pool, n.Name, deadline.Format(time.RFC3339)) // ok: loop-declared vars, body-scoped deadline
				}()
			}
		}
	}
	wg.Wait()
}
