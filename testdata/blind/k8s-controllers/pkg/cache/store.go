// Package cache implements an informer-style local cache: a thread-safe,
// indexed object store fed by a list/watch source, with event handlers.
package cache

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"example.com/k8scontrollers/pkg/api"
)

// IndexFunc computes the index values of an object.
type IndexFunc func(obj api.Object) ([]string, error)

// Indexers maps an index name to its IndexFunc.
type Indexers map[string]IndexFunc

// index maps an index value to the set of keys having it.
type index map[string]map[string]struct{}

// NamespaceIndex is the conventional name of the by-namespace index.
const NamespaceIndex = "namespace"

// Store is an indexed, RWMutex-guarded object cache.
type Store struct {
	mu       sync.RWMutex
	items    map[string]api.Object
	indexers Indexers
	indices  map[string]index
	lastRV   string
}

// NewStore returns an empty store with the given indexers.
func NewStore(indexers Indexers) *Store {
	s := &Store{
		items:    map[string]api.Object{},
		indexers: Indexers{},
		indices:  map[string]index{},
	}
	for name, fn := range indexers {
		s.indexers[name] = fn
		s.indices[name] = index{}
	}
	return s
}

// MetaNamespaceIndexFunc indexes objects by namespace.
func MetaNamespaceIndexFunc(obj api.Object) ([]string, error) {
	meta := obj.GetMeta()
	if meta == nil {
		return nil, errors.New("cache: object has no metadata")
	}
	return []string{meta.Namespace}, nil
}

// LabelIndexFunc indexes objects by the value of one label.
func LabelIndexFunc(label string) IndexFunc {
	return func(obj api.Object) ([]string, error) {
		v, ok := obj.GetMeta().Labels[label]
		if !ok {
			return nil, nil
		}
		return []string{v}, nil
	}
}

// Add inserts or replaces obj.
func (s *Store) Add(obj api.Object) error {
	key := obj.GetMeta().Key()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putLocked(key, obj)
}

// Update replaces an object that must already be present.
func (s *Store) Update(obj api.Object) error {
	key := obj.GetMeta().Key()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[key]; !ok {
		return fmt.Errorf("cache: update of unknown object %s", key)
	}
	return s.putLocked(key, obj)
}

// putLocked stores obj under key. s.mu must be held for writing.
func (s *Store) putLocked(key string, obj api.Object) error {
	old := s.items[key]
	if err := s.updateIndices(key, old, obj); err != nil {
		return err
	}
	s.items[key] = obj
	if rv := obj.GetMeta().ResourceVersion; rv != "" {
		s.lastRV = rv
	}
	return nil
}

// Delete removes obj from the store and its indices.
func (s *Store) Delete(obj api.Object) error {
	key := obj.GetMeta().Key()
	s.mu.Lock() // HAZ lock-leaked-on-return
	old, ok := s.items[key]
	if !ok {
		return fmt.Errorf("cache: delete of unknown object %s", key)
	}
	s.deleteFromIndices(key, old)
	delete(s.items, key)
	s.mu.Unlock()
	return nil
}

// Get returns the object stored under key.
func (s *Store) Get(key string) (api.Object, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	obj, ok := s.items[key]
	return obj, ok
}

// List returns every object, in no particular order.
func (s *Store) List() []api.Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]api.Object, 0, len(s.items))
	for _, obj := range s.items {
		out = append(out, obj)
	}
	return out
}

// ListKeys returns the sorted keys of the store.
func (s *Store) ListKeys() []string {
	s.mu.RLock()
	keys := make([]string, 0, len(s.items))
	for k := range s.items {
		keys = append(keys, k)
	}
	s.mu.RUnlock()
	sort.Strings(keys)
	return keys
}

// ByIndex returns the objects whose indexName index contains value.
func (s *Store) ByIndex(indexName, value string) ([]api.Object, error) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	idx, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("cache: index %q does not exist", indexName)
	}
	keys := idx[value]
	out := make([]api.Object, 0, len(keys))
	for k := range keys {
		out = append(out, s.items[k])
	}
	return out, nil
}

// IndexKeys returns the sorted keys whose indexName index contains value.
func (s *Store) IndexKeys(indexName, value string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("cache: index %q does not exist", indexName)
	}
	out := make([]string, 0, len(idx[value]))
	for k := range idx[value] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// Replace swaps the whole content of the store, as after a relist.
func (s *Store) Replace(objs []api.Object, resourceVersion string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = make(map[string]api.Object, len(objs))
	for name := range s.indices {
		s.indices[name] = index{}
	}
	for _, obj := range objs {
		if err := s.Add(obj); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	s.lastRV = resourceVersion
	return nil
}

// GetByKeys returns the objects present under keys, as one consistent read.
func (s *Store) GetByKeys(keys []string) []api.Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]api.Object, 0, len(keys))
	for _, k := range keys {
		if obj, ok := s.Get(k); ok { // HAZ lock-reentry-under-defer
			out = append(out, obj)
		}
	}
	return out
}

// AddIndexers registers more indexers; only allowed on an empty store.
func (s *Store) AddIndexers(newIndexers Indexers) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) > 0 {
		return errors.New("cache: cannot add indexers to a populated store")
	}
	for name, fn := range newIndexers {
		if _, exists := s.indexers[name]; exists {
			return fmt.Errorf("cache: indexer %q already registered", name)
		}
		s.indexers[name] = fn
		s.indices[name] = index{}
	}
	return nil
}

// updateIndices moves key from the index values of old to those of obj.
// s.mu must be held for writing.
func (s *Store) updateIndices(key string, old, obj api.Object) error {
	for name, fn := range s.indexers {
		var oldVals []string
		if old != nil {
			vals, err := fn(old)
			if err != nil {
				return fmt.Errorf("cache: index %s: %w", name, err)
			}
			oldVals = vals
		}
		newVals, err := fn(obj)
		if err != nil {
			return fmt.Errorf("cache: index %s: %w", name, err)
		}
		idx := s.indices[name]
		for _, v := range oldVals {
			removeFromIndex(idx, v, key)
		}
		for _, v := range newVals {
			set := idx[v]
			if set == nil {
				set = map[string]struct{}{}
				idx[v] = set
			}
			set[key] = struct{}{}
		}
	}
	return nil
}

// deleteFromIndices drops key from every index. s.mu must be held for writing.
func (s *Store) deleteFromIndices(key string, obj api.Object) {
	for name, fn := range s.indexers {
		vals, err := fn(obj)
		if err != nil {
			continue
		}
		for _, v := range vals {
			removeFromIndex(s.indices[name], v, key)
		}
	}
}

func removeFromIndex(idx index, value, key string) {
	set := idx[value]
	delete(set, key)
	if len(set) == 0 {
		delete(idx, value)
	}
}

// ResourceVersion returns the newest resource version seen.
func (s *Store) ResourceVersion() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastRV
}

// Len returns the number of objects.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Resync calls fn for every object. fn runs without the store lock held, so
// it may call back into the store.
func (s *Store) Resync(fn func(api.Object)) {
	for _, obj := range s.List() {
		fn(obj)
	}
}
