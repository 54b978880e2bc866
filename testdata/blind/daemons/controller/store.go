package controller

import (
	"sort"
	"sync"
)

// Object is a cached API object.
type Object struct {
	Key     string
	Version int64
	Labels  map[string]string
	Spec    map[string]string
}

// Store is the informer's local cache, safe for concurrent readers.
type Store struct {
	mu    sync.RWMutex
	items map[string]Object
	index map[string]map[string]struct{} // label value -> keys
	label string
}

func NewStore(indexLabel string) *Store {
	return &Store{
		items: make(map[string]Object),
		index: make(map[string]map[string]struct{}),
		label: indexLabel,
	}
}

func (s *Store) Get(key string) (Object, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.items[key]
	return o, ok
}

// Upsert stores o unless the cache already holds a newer version.
func (s *Store) Upsert(o Object) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.items[o.Key]; ok {
		if old.Version >= o.Version {
			return false
		}
		s.unindexLocked(old)
	}
	s.items[o.Key] = o
	s.indexLocked(o)
	return true
}

func (s *Store) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.items[key]; ok {
		s.unindexLocked(old)
		delete(s.items, key)
	}
}

// Replace swaps the whole cache content, as after a relist.
func (s *Store) Replace(objs []Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = make(map[string]Object, len(objs))
	s.index = make(map[string]map[string]struct{})
	for _, o := range objs {
		s.items[o.Key] = o
		s.indexLocked(o)
	}
}

func (s *Store) indexLocked(o Object) {
	v, ok := o.Labels[s.label]
	if !ok {
		return
	}
	set := s.index[v]
	if set == nil {
		set = make(map[string]struct{})
		s.index[v] = set
	}
	set[o.Key] = struct{}{}
}

func (s *Store) unindexLocked(o Object) {
	if v, ok := o.Labels[s.label]; ok {
		delete(s.index[v], o.Key)
	}
}

// List returns a copy of every cached object.
func (s *Store) List() []Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Object, 0, len(s.items))
	for _, o := range s.items {
		out = append(out, o)
	}
	return out
}

// ByLabel returns the sorted keys whose index label equals value.
func (s *Store) ByLabel(value string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedKeysLocked(s.index[value])
}

func (s *Store) sortedKeysLocked(set map[string]struct{}) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Keys returns every cached key, sorted.
func (s *Store) Keys() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]string, 0, len(s.items))
	for k := range s.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
