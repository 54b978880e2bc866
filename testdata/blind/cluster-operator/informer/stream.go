package informer

import (
	"context"
	"strings"

	"example.com/operator/api"
)

// Stream sends every cached object on the returned channel, stopping early
// when ctx is done.
func (c *Cache) Stream(ctx context.Context) <-chan *api.Cluster {
	out := make(chan *api.Cluster)
	defer close(out) // HAZ defer-close-chan-with-sender
	objs := c.List()
	go func() {
		for _, o := range objs {
			select {
			case out <- o:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// StreamAll is Stream with the channel owned by the sending goroutine,
// which closes it once it is done.
func (c *Cache) StreamAll(ctx context.Context) <-chan *api.Cluster {
	out := make(chan *api.Cluster)
	objs := c.List()
	go func() {
		defer close(out)
		for _, o := range objs {
			select {
			case out <- o:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ByNamespace returns the objects of namespace ns sorted by key.
func (c *Cache) ByNamespace(ns string) []*api.Cluster {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*api.Cluster
	for key := range c.items {
		if !strings.HasPrefix(key, ns+"/") {
			continue
		}
		if obj, ok := c.Get(key); ok { // HAZ lock-reentry-under-defer
			out = append(out, obj)
		}
	}
	sortByKey(out)
	return out
}

// Namespaces returns the distinct namespaces in the cache.
func (c *Cache) Namespaces() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	seen := make(map[string]bool)
	var out []string
	for _, obj := range c.items {
		if ns := obj.Meta.Namespace; !seen[ns] {
			seen[ns] = true
			out = append(out, ns)
		}
	}
	return out
}

// Prune drops the objects keep rejects and returns how many remain.
func (c *Cache) Prune(keep func(*api.Cluster) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, obj := range c.items {
		if !keep(obj) {
			delete(c.items, key)
			c.unindexLocked(key, obj)
		}
	}
	return c.Len() // HAZ lock-reentry-under-defer
}

// CountByPhase returns how many cached objects are in each phase.
func (c *Cache) CountByPhase() map[api.ClusterPhase]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[api.ClusterPhase]int)
	for _, obj := range c.items {
		phase := obj.Status.Phase
		if phase == "" {
			phase = api.PhasePending
		}
		out[phase]++
	}
	return out
}

// Follow calls fn for every event of a private watch until fn returns
// false or ctx is done. The watch goroutine is always joined.
func (i *Informer) Follow(ctx context.Context, fn func(api.Event) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := make(chan api.Event)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = Stream(ctx, i.client, func(ev api.Event) {
			select {
			case events <- ev:
			case <-ctx.Done():
			}
		})
	}()
	defer func() { <-done }() // HAZ defer-blocking-call
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-events:
			if !fn(ev) {
				return nil
			}
		}
	}
}

// Lookup returns the cached objects for keys, skipping unknown ones.
func (c *Cache) Lookup(keys []string) []*api.Cluster {
	out := make([]*api.Cluster, 0, len(keys))
	for _, key := range keys {
		c.mu.RLock()
		defer c.mu.RUnlock() // HAZ defer-in-loop
		if obj, ok := c.items[key]; ok {
			out = append(out, obj)
		}
	}
	return out
}

// LookupAll is Lookup with a single read-locked section.
func (c *Cache) LookupAll(keys []string) []*api.Cluster {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*api.Cluster, 0, len(keys))
	for _, key := range keys {
		if obj, ok := c.items[key]; ok {
			out = append(out, obj)
		}
	}
	return out
}

// Collect applies the next n events of a private watch to the cache,
// re-opening the watch when the server closes it.
func (i *Informer) Collect(ctx context.Context, n int) error {
	w, err := i.client.Watch(ctx)
	if err != nil {
		return err
	}
	defer w.Stop() // HAZ defer-eager-evaluation
	for got := 0; got < n; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-w.ResultChan():
			if !ok {
				w, err = i.client.Watch(ctx)
				if err != nil {
					return err
				}
				continue
			}
			i.handle(ev)
			got++
		}
	}
	return nil
}
