// Package cache is a small informer-style cache: a thread-safe indexed store
// fed by a list/watch loop, with event handlers notified outside the lock.
package cache

import (
	"fmt"
	"log"
	"sort"
	"sync"

	"example.com/fah31/api"
)

// EventHandler is notified of changes to the store.
type EventHandler interface {
	OnAdd(obj *api.Object)
	OnUpdate(oldObj, newObj *api.Object)
	OnDelete(obj *api.Object)
}

// IndexFunc computes the index values of an object.
type IndexFunc func(obj *api.Object) []string

// Store keeps the latest copy of every object plus secondary indices.
// Objects in the store are never mutated in place: writers replace them.
type Store struct {
	mu       sync.RWMutex
	items    map[string]*api.Object
	indexers map[string]IndexFunc
	indices  map[string]map[string]map[string]struct{}

	handlersMu sync.Mutex
	handlers   []EventHandler
}

// NewStore returns an empty store with the given indexers.
func NewStore(indexers map[string]IndexFunc) *Store {
	s := &Store{
		items:    make(map[string]*api.Object),
		indexers: make(map[string]IndexFunc, len(indexers)),
		indices:  make(map[string]map[string]map[string]struct{}, len(indexers)),
	}
	for name, fn := range indexers {
		s.indexers[name] = fn
		s.indices[name] = make(map[string]map[string]struct{})
	}
	return s
}

// Get returns a copy of the object stored under key.
func (s *Store) Get(key string) (*api.Object, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	obj, ok := s.items[key]
	if !ok {
		return nil, false
	}
	return obj.DeepCopy(), true
}

// Len returns the number of stored objects.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// List returns copies of all objects sorted by key. The pointers are
// collected under the read lock; copying happens after it is released.
func (s *Store) List() []*api.Object {
	s.mu.RLock()
	objs := make([]*api.Object, 0, len(s.items))
	for _, o := range s.items {
		objs = append(objs, o)
	}
	s.mu.RUnlock()

	out := make([]*api.Object, len(objs))
	for i, o := range objs {
		out[i] = o.DeepCopy()
	}
	sort.Slice(out, func(i, j int) bool { return api.KeyOf(out[i]) < api.KeyOf(out[j]) })
	return out
}

// Add inserts or replaces obj and notifies handlers after unlocking.
func (s *Store) Add(obj *api.Object) {
	key := api.KeyOf(obj)
	s.mu.Lock()
	old := s.items[key]
	s.items[key] = obj
	s.updateIndicesLocked(old, obj, key)
	s.mu.Unlock()

	s.dispatch(old, obj)
}

// Delete removes key and reports whether it existed.
func (s *Store) Delete(key string) bool {
	s.mu.Lock()
	old, ok := s.items[key]
	if !ok {
		s.mu.Unlock()
		return false
	}
	delete(s.items, key)
	s.updateIndicesLocked(old, nil, key)
	s.mu.Unlock()

	s.dispatchDelete(old)
	return true
}

// updateIndicesLocked must be called with s.mu held for writing.
func (s *Store) updateIndicesLocked(oldObj, newObj *api.Object, key string) {
	for name, fn := range s.indexers {
		idx := s.indices[name]
		if oldObj != nil {
			for _, v := range fn(oldObj) {
				delete(idx[v], key)
				if len(idx[v]) == 0 {
					delete(idx, v)
				}
			}
		}
		if newObj == nil {
			continue
		}
		for _, v := range fn(newObj) {
			set := idx[v]
			if set == nil {
				set = make(map[string]struct{})
				idx[v] = set
			}
			set[key] = struct{}{}
		}
	}
}

// ByIndex returns the objects whose index value matches.
func (s *Store) ByIndex(indexName, value string) ([]*api.Object, error) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	idx, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("index %q does not exist", indexName)
	}
	out := make([]*api.Object, 0, len(idx[value]))
	for key := range idx[value] {
		out = append(out, s.items[key].DeepCopy())
	}
	return out, nil
}

// IndexKeys returns the keys stored under an index value, sorted.
func (s *Store) IndexKeys(indexName, value string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.indexKeysLocked(indexName, value)
}

// indexKeysLocked must be called with s.mu held (read or write).
func (s *Store) indexKeysLocked(indexName, value string) ([]string, error) {
	idx, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("index %q does not exist", indexName)
	}
	keys := make([]string, 0, len(idx[value]))
	for k := range idx[value] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Replace swaps the whole content, as after a fresh List.
func (s *Store) Replace(objs []*api.Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked(len(objs))
	for _, o := range objs {
		key := api.KeyOf(o)
		s.items[key] = o
		s.updateIndicesLocked(nil, o, key)
	}
}

// resetLocked empties items and indices; s.mu must be held for writing.
func (s *Store) resetLocked(capacity int) {
	s.items = make(map[string]*api.Object, capacity)
	for name := range s.indices {
		s.indices[name] = make(map[string]map[string]struct{})
	}
}

// Restore loads the objects of a snapshot, replacing the content, and logs
// how many distinct keys it ended up with.
func (s *Store) Restore(objs []*api.Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked(len(objs))
	for _, o := range objs {
		key := api.KeyOf(o)
		s.items[key] = o
		s.updateIndicesLocked(nil, o, key)
	}
	log.Printf("cache: restored %d objects (%d distinct keys)", len(objs), s.Len()) // HAZ lock-reentry-under-defer
}

// RestoreLogged is Restore that counts the keys before unlocking.
func (s *Store) RestoreLogged(objs []*api.Object) {
	s.mu.Lock()
	s.resetLocked(len(objs))
	for _, o := range objs {
		key := api.KeyOf(o)
		s.items[key] = o
		s.updateIndicesLocked(nil, o, key)
	}
	distinct := len(s.items)
	s.mu.Unlock()
	log.Printf("cache: restored %d objects (%d distinct keys)", len(objs), distinct)
}

// ReplaceIndexed swaps the content and returns the keys of one index value,
// computed under the same write lock through the lock-free helper.
func (s *Store) ReplaceIndexed(objs []*api.Object, indexName, value string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked(len(objs))
	for _, o := range objs {
		key := api.KeyOf(o)
		s.items[key] = o
		s.updateIndicesLocked(nil, o, key)
	}
	return s.indexKeysLocked(indexName, value)
}

// Touch bumps the resource version of the given keys so that the next
// resync delivers them as updates.
func (s *Store) Touch(keys []string) int {
	n := 0
	for _, key := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		obj, ok := s.items[key]
		if !ok {
			continue
		}
		cp := obj.DeepCopy()
		cp.ResourceVersion++
		s.items[key] = cp
		n++
	}
	return n
}

// Resync re-delivers the given keys to every handler as updates. Each
// lookup holds the read lock only for its own iteration.
func (s *Store) Resync(keys []string) int {
	objs := make([]*api.Object, 0, len(keys))
	for _, key := range keys {
		func() {
			s.mu.RLock()
			defer s.mu.RUnlock()
			if o, ok := s.items[key]; ok {
				objs = append(objs, o)
			}
		}()
	}
	for _, o := range objs {
		s.dispatch(o, o)
	}
	return len(objs)
}

// AddEventHandler registers h and replays the current content to it.
// It holds handlersMu, and List takes the other mutex, s.mu.
func (s *Store) AddEventHandler(h EventHandler) {
	s.handlersMu.Lock()
	defer s.handlersMu.Unlock()
	s.handlers = append(s.handlers, h)
	for _, o := range s.List() {
		h.OnAdd(o)
	}
}

// snapshotHandlers copies the handler list so that callbacks run unlocked.
func (s *Store) snapshotHandlers() []EventHandler {
	s.handlersMu.Lock()
	defer s.handlersMu.Unlock()
	return append([]EventHandler(nil), s.handlers...)
}

func (s *Store) dispatch(oldObj, newObj *api.Object) {
	for _, h := range s.snapshotHandlers() {
		if oldObj == nil {
			h.OnAdd(newObj)
			continue
		}
		h.OnUpdate(oldObj, newObj)
	}
}

func (s *Store) dispatchDelete(obj *api.Object) {
	for _, h := range s.snapshotHandlers() {
		h.OnDelete(obj)
	}
}

// ReplayTo delivers the current content to one handler; a handler that
// panics on one object must not stop the replay.
func (s *Store) ReplayTo(h EventHandler) int {
	objs := s.List()
	for _, o := range objs {
		deliverQuietly(h, o)
	}
	return len(objs)
}

func deliverQuietly(h EventHandler, o *api.Object) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	h.OnAdd(o)
}

// ReplayLogged is ReplayTo that logs each recovered panic.
func (s *Store) ReplayLogged(h EventHandler) int {
	objs := s.List()
	for _, o := range objs {
		deliverLogged(h, o)
	}
	return len(objs)
}

func deliverLogged(h EventHandler, o *api.Object) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("cache: handler %T panicked on %s: %v", h, api.KeyOf(o), r)
		}
	}()
	h.OnAdd(o)
}

// HasIndex reports whether an indexer of that name is registered.
func (s *Store) HasIndex(name string) bool {
	s.mu.RLock() // HAZ lock-leaked-on-return
	if _, ok := s.indexers[name]; ok {
		return true
	}
	s.mu.RUnlock()
	return false
}

// IndexNames lists the registered indexers.
func (s *Store) IndexNames() []string {
	s.mu.RLock()
	names := make([]string, 0, len(s.indexers))
	for n := range s.indexers {
		names = append(names, n)
	}
	s.mu.RUnlock()
	sort.Strings(names)
	return names
}
