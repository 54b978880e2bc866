// Package cache is a small informer-style cache: a thread-safe indexed store fed by list and watch.
package cache

import (
	"sort"
	"sync"

	"example.com/fah25/api"
)

// ThreadSafeStore is an indexed map of objects guarded by a read-write mutex.
type ThreadSafeStore struct {
	mu              sync.RWMutex
	items           map[string]api.Object
	indexers        Indexers
	indices         map[string]index
	resourceVersion string
}

// NewThreadSafeStore returns an empty store maintaining the given indices.
func NewThreadSafeStore(indexers Indexers) *ThreadSafeStore {
	if indexers == nil {
		indexers = Indexers{}
	}
	return &ThreadSafeStore{
		items:    make(map[string]api.Object),
		indexers: indexers,
		indices:  make(map[string]index),
	}
}

// Add inserts or replaces the object stored under key.
func (s *ThreadSafeStore) Add(key string, obj api.Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(key, obj)
}

func (s *ThreadSafeStore) addLocked(key string, obj api.Object) {
	old := s.items[key]
	s.items[key] = obj
	s.updateIndicesLocked(old, obj, key)
}

// Delete removes key; it reports whether the key was present.
func (s *ThreadSafeStore) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.items[key]
	if !ok {
		return false
	}
	delete(s.items, key)
	s.deleteFromIndicesLocked(obj, key)
	return true
}

// Get returns the object stored under key.
func (s *ThreadSafeStore) Get(key string) (api.Object, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	obj, ok := s.items[key]
	return obj, ok
}

// Has reports whether key is stored.
func (s *ThreadSafeStore) Has(key string) bool {
	s.mu.RLock()
	_, ok := s.items[key]
	s.mu.RUnlock()
	return ok
}

// List returns every stored object in no particular order.
func (s *ThreadSafeStore) List() []api.Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]api.Object, 0, len(s.items))
	for _, obj := range s.items {
		out = append(out, obj)
	}
	return out
}

// ListKeys returns the stored keys, sorted.
func (s *ThreadSafeStore) ListKeys() []string {
	s.mu.RLock()
	if len(s.items) == 0 {
		s.mu.RUnlock()
		return nil
	}
	keys := make([]string, 0, len(s.items))
	for k := range s.items {
		keys = append(keys, k)
	}
	s.mu.RUnlock()
	sort.Strings(keys)
	return keys
}

// Replace swaps the whole content for a fresh list, as after a relist.
func (s *ThreadSafeStore) Replace(items map[string]api.Object, resourceVersion string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = make(map[string]api.Object, len(items))
	s.indices = make(map[string]index)
	for key, obj := range items {
		s.Add(key, obj) // HAZ lock-reentry-under-defer
	}
	s.resourceVersion = resourceVersion
}

// Mutate applies fn to a copy of the object under key and stores the result.
func (s *ThreadSafeStore) Mutate(key string, fn func(api.Object) api.Object) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.items[key]
	if !ok {
		return false
	}
	s.addLocked(key, fn(obj.DeepCopyObject()))
	return true
}

// Resync calls fn for every object without holding the lock during the callbacks.
func (s *ThreadSafeStore) Resync(fn func(key string, obj api.Object)) {
	s.mu.RLock()
	snapshot := make(map[string]api.Object, len(s.items))
	for k, v := range s.items {
		snapshot[k] = v
	}
	s.mu.RUnlock()
	for k, v := range snapshot {
		fn(k, v)
	}
}

// SetResourceVersion records the resource version of the last event applied.
func (s *ThreadSafeStore) SetResourceVersion(rv string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resourceVersion = rv
}

// LastSyncResourceVersion returns the resource version of the last list or event.
func (s *ThreadSafeStore) LastSyncResourceVersion() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.resourceVersion
}
