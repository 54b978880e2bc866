//go:build go1.21

// This file is built with Go 1.21 semantics: loop variables are shared across iterations.

package controller

import (
	"context"
	"sort"
	"strings"
	"sync"
)

// drain evicts all pods from node.
func (r *Reconciler) drain(ctx context.Context, node Node) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.logger.Printf("draining %s", node.Name)
	return nil
}

func (r *Reconciler) evict(ns, pod string) { r.logger.Printf("evict %s/%s", ns, pod) }

func (r *Reconciler) enqueue(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures[key] = 0
}

func (r *Reconciler) forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.failures, key)
}

func (r *Reconciler) podsIn(ns string) []Pod {
	return []Pod{{Name: ns + "-a"}, {Name: ns + "-b", Terminating: strings.HasPrefix(ns, "kube-")}}
}

// probeResult is the outcome of one endpoint probe.
type probeResult struct {
	Endpoint string
	OK       bool
}

func probe(ctx context.Context, ep string) probeResult {
	return probeResult{Endpoint: ep, OK: ctx.Err() == nil}
}

// ---- loop-var-capture (Go 1.21 file): positives ----

// DrainNodes drains all cordoned nodes concurrently.
func (r *Reconciler) DrainNodes(ctx context.Context, nodes []Node) int {
	var wg sync.WaitGroup
	started := 0
	for _, node := range nodes {
		if !node.Unschedulable {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := r.drain(ctx, node); err != nil {
				r.logger.Printf("drain %s: %v", node.Name, err)
			}
		}()
		started++
	}
	wg.Wait()
	return started
}

// StartWorkerPool starts the numbered sync workers.
func (r *Reconciler) StartWorkerPool(ctx context.Context, queue <-chan *Object) {
	for i := 0; i < r.cfg.Workers; i++ {
		go func() { // HAZ loop-var-capture
			for obj := range queue {
				if err := r.syncOne(ctx, obj); err != nil {
					r.logger.Printf("worker %d: %v", i, err)
				}
			}
		}()
		r.logger.Printf("started worker %d", i)
	}
}

// EvictNamespaces evicts live pods in each namespace, skipping namespaces being torn down.
func (r *Reconciler) EvictNamespaces(namespaces []string) int {
	evicted := 0
outer:
	for _, ns := range namespaces {
		for _, pod := range r.podsIn(ns) {
			if pod.Terminating {
				continue outer
			}
			go func() { r.evict(ns, pod.Name) }() // HAZ loop-var-capture
			evicted++
		}
	}
	return evicted
}

// ProbeEndpoints probes all endpoints concurrently and collects the results.
func (r *Reconciler) ProbeEndpoints(ctx context.Context, endpoints []string) ([]probeResult, error) {
	results := make(chan probeResult, len(endpoints))
	var wg sync.WaitGroup
	pending := 0
	for _, ep := range endpoints {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		default:
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results <- probe(ctx, ep)
		}()
		pending++
	}
	wg.Wait()
	close(results)
	out := make([]probeResult, 0, pending)
	for res := range results {
		out = append(out, res)
	}
	return out, nil
}

// SyncQueue syncs every queued object by name in the background.
func (r *Reconciler) SyncQueue(ctx context.Context, items []Object) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			obj := &Object{Kind: item.Kind, Namespace: item.Namespace, Name: item.Name}
			if err := r.syncOne(ctx, obj); err != nil {
				r.logger.Printf("sync %s/%s: %v", item.Namespace, item.Name, err)
			}
		}()
		r.logger.Printf("queued %s", item.Name)
	}
	wg.Wait()
}

// HandleEvents routes watch events, enqueueing adds and updates asynchronously.
func (r *Reconciler) HandleEvents(events []Event) int {
	seen := 0
	for _, ev := range events {
		switch ev.Type {
		case Added, Modified:
			go func() { r.enqueue(ev.Key) }() // HAZ loop-var-capture
		case Deleted:
			r.forget(ev.Key)
		}
		seen++
	}
	return seen
}

// ---- loop-var-capture (Go 1.21 file): negatives ----

// DrainNodesArg passes the node as an argument.
func (r *Reconciler) DrainNodesArg(ctx context.Context, nodes []Node) {
	var wg sync.WaitGroup
	for _, node := range nodes {
		wg.Add(1)
		go func(n Node) {
			defer wg.Done()
			if err := r.drain(ctx, n); err != nil {
				r.logger.Printf("drain %s: %v", n.Name, err)
			}
		}(node) // ok: passed as an argument
	}
	wg.Wait()
}

// DrainNodesCopy shadows the loop variable with a copy.
func (r *Reconciler) DrainNodesCopy(ctx context.Context, nodes []Node) {
	var wg sync.WaitGroup
	for _, node := range nodes {
		node := node
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = r.drain(ctx, node) // ok: per-iteration copy
		}()
	}
	wg.Wait()
}

// SyncQueueIndexed captures a body-scoped variable, not the loop index.
func (r *Reconciler) SyncQueueIndexed(ctx context.Context, items []*Object) {
	var wg sync.WaitGroup
	for i := 0; i < len(items); i++ {
		obj := items[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = r.syncOne(ctx, obj) // ok: obj is declared in the body
		}()
	}
	wg.Wait()
}

// SortedLabelKeys uses the loop variable in a synchronous closure only.
func (r *Reconciler) SortedLabelKeys(objs []*Object) map[string][]string {
	out := make(map[string][]string, len(objs))
	for _, obj := range objs {
		keys := make([]string, 0, len(obj.Labels))
		for k := range obj.Labels {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool {
			return obj.Labels[keys[a]] < obj.Labels[keys[b]] // ok: called before the iteration ends
		})
		out[obj.Key()] = keys
	}
	return out
}

// DrainNodesDirect starts a method call directly; its arguments are evaluated now.
func (r *Reconciler) DrainNodesDirect(ctx context.Context, nodes []Node) {
	for _, node := range nodes {
		go r.drain(ctx, node) // ok: no function literal
	}
}

// Heartbeat starts one heartbeat goroutine per configured worker slot.
func (r *Reconciler) Heartbeat(ctx context.Context) {
	var wg sync.WaitGroup
	for i := 0; i < r.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.logger.Printf("heartbeat ctx alive=%v", ctx.Err() == nil) // ok: no loop variable used
		}()
	}
	wg.Wait()
}
