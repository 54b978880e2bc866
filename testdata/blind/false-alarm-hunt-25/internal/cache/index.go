package cache

import (
	"fmt"
	"log"
	"sort"

	"example.com/fah25/api"
)

// NamespaceIndex is the name of the namespace index every store gets by default.
const NamespaceIndex = "namespace"

// IndexFunc computes the index values of an object.
type IndexFunc func(obj api.Object) ([]string, error)

// Indexers maps index names to their functions.
type Indexers map[string]IndexFunc

// index maps an indexed value to the set of keys having it.
type index map[string]map[string]struct{}

// MetaNamespaceIndexFunc indexes objects by namespace.
func MetaNamespaceIndexFunc(obj api.Object) ([]string, error) {
	return []string{obj.GetMeta().Namespace}, nil
}

// LabelIndexFunc returns an index function on the value of one label.
func LabelIndexFunc(label string) IndexFunc {
	return func(obj api.Object) ([]string, error) {
		v, ok := obj.GetMeta().Labels[label]
		if !ok {
			return nil, nil
		}
		return []string{v}, nil
	}
}

func (s *ThreadSafeStore) updateIndicesLocked(old, cur api.Object, key string) {
	if old != nil {
		s.deleteFromIndicesLocked(old, key)
	}
	for name, fn := range s.indexers {
		values, err := fn(cur)
		if err != nil {
			log.Printf("cache: index %s of %s: %v", name, key, err)
			continue
		}
		idx := s.indices[name]
		if idx == nil {
			idx = index{}
			s.indices[name] = idx
		}
		for _, v := range values {
			set := idx[v]
			if set == nil {
				set = map[string]struct{}{}
				idx[v] = set
			}
			set[key] = struct{}{}
		}
	}
}

func (s *ThreadSafeStore) deleteFromIndicesLocked(obj api.Object, key string) {
	for name, fn := range s.indexers {
		values, err := fn(obj)
		if err != nil {
			continue
		}
		idx := s.indices[name]
		for _, v := range values {
			if set, ok := idx[v]; ok {
				delete(set, key)
				if len(set) == 0 {
					delete(idx, v)
				}
			}
		}
	}
}

func (s *ThreadSafeStore) indexKeysLocked(indexName, value string) ([]string, error) {
	if _, ok := s.indexers[indexName]; !ok {
		return nil, fmt.Errorf("cache: index %q does not exist", indexName)
	}
	set := s.indices[indexName][value]
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// IndexKeys returns the keys whose index value matches.
func (s *ThreadSafeStore) IndexKeys(indexName, value string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.indexKeysLocked(indexName, value)
}

// ByIndex returns the objects whose index value matches.
func (s *ThreadSafeStore) ByIndex(indexName, value string) ([]api.Object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys, err := s.indexKeysLocked(indexName, value)
	if err != nil {
		return nil, err
	}
	out := make([]api.Object, 0, len(keys))
	for _, k := range keys {
		out = append(out, s.items[k])
	}
	return out, nil
}

// ListByNamespace returns the objects of one namespace, sorted by key.
func (s *ThreadSafeStore) ListByNamespace(namespace string) []api.Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys, err := s.IndexKeys(NamespaceIndex, namespace) // HAZ lock-reentry-under-defer
	if err != nil {
		return nil
	}
	out := make([]api.Object, 0, len(keys))
	for _, k := range keys {
		out = append(out, s.items[k])
	}
	return out
}

// AddIndexers registers more indices; only allowed before anything is stored.
func (s *ThreadSafeStore) AddIndexers(more Indexers) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) > 0 {
		return fmt.Errorf("cache: cannot add indexers to a store holding %d items", len(s.items))
	}
	for name, fn := range more {
		if _, dup := s.indexers[name]; dup {
			return fmt.Errorf("cache: indexer %q already exists", name)
		}
		s.indexers[name] = fn
	}
	return nil
}
