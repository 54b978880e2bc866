// Package informer keeps a local cache of Cluster objects in sync with the
// API server by listing once and then following a watch.
package informer

import (
	"slices"
	"strings"
	"sync"

	"example.com/operator/api"
)

// Cache is a thread-safe store of objects indexed by key and by label.
// Stored objects are shared: callers must DeepCopy before modifying them.
type Cache struct {
	mu      sync.RWMutex
	items   map[string]*api.Cluster
	byLabel map[string]map[string]struct{} // "k=v" -> keys
	version int64
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{
		items:   make(map[string]*api.Cluster),
		byLabel: make(map[string]map[string]struct{}),
	}
}

// Get returns the cached object for key.
func (c *Cache) Get(key string) (*api.Cluster, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	obj, ok := c.items[key]
	return obj, ok
}

// List returns all cached objects sorted by key.
func (c *Cache) List() []*api.Cluster {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*api.Cluster, 0, len(c.items))
	for _, obj := range c.items {
		out = append(out, obj)
	}
	sortByKey(out)
	return out
}

// Len returns the number of cached objects.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Upsert stores obj and returns the object it replaced, if any.
func (c *Cache) Upsert(obj *api.Cluster) (old *api.Cluster) {
	key := obj.Meta.Key()
	c.mu.Lock()
	defer c.mu.Unlock()
	old = c.items[key]
	if old != nil {
		c.unindexLocked(key, old)
	}
	c.items[key] = obj
	c.indexLocked(key, obj)
	c.version = max(c.version, obj.Meta.ResourceVersion)
	return old
}

// Delete removes key and returns the removed object, if any.
func (c *Cache) Delete(key string) *api.Cluster {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.items[key]
	if !ok {
		return nil
	}
	delete(c.items, key)
	c.unindexLocked(key, old)
	return old
}

// ByLabel returns the objects carrying label k=v.
func (c *Cache) ByLabel(k, v string) []*api.Cluster {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	keys := c.byLabel[k+"="+v]
	out := make([]*api.Cluster, 0, len(keys))
	for key := range keys {
		out = append(out, c.items[key])
	}
	sortByKey(out)
	return out
}

// Replace swaps the whole content after a re-list and returns the objects
// that are gone, so that delete notifications can be sent for them.
func (c *Cache) Replace(objs []*api.Cluster) (removed []*api.Cluster) {
	next := make(map[string]*api.Cluster, len(objs))
	for _, o := range objs {
		next[o.Meta.Key()] = o
	}
	c.mu.Lock()
	for key, old := range c.items {
		if _, ok := next[key]; !ok {
			removed = append(removed, old)
		}
	}
	c.items = next
	c.byLabel = make(map[string]map[string]struct{})
	for key, o := range next {
		c.indexLocked(key, o)
		c.version = max(c.version, o.Meta.ResourceVersion)
	}
	c.mu.Unlock()
	sortByKey(removed)
	return removed
}

// indexLocked adds key to the label index. c.mu must be held for writing.
func (c *Cache) indexLocked(key string, obj *api.Cluster) {
	for k, v := range obj.Meta.Labels {
		set := c.byLabel[k+"="+v]
		if set == nil {
			set = make(map[string]struct{})
			c.byLabel[k+"="+v] = set
		}
		set[key] = struct{}{}
	}
}

// unindexLocked removes key from the label index. c.mu must be held for
// writing.
func (c *Cache) unindexLocked(key string, obj *api.Cluster) {
	for k, v := range obj.Meta.Labels {
		set := c.byLabel[k+"="+v]
		delete(set, key)
		if len(set) == 0 {
			delete(c.byLabel, k+"="+v)
		}
	}
}

func sortByKey(objs []*api.Cluster) {
	slices.SortFunc(objs, func(a, b *api.Cluster) int {
		return strings.Compare(a.Meta.Key(), b.Meta.Key())
	})
}
