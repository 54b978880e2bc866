// Package kv implements the sharded in-memory key/value store behind kvd.
//
// Each shard has its own RWMutex. Store-wide state (watchers, the closed
// flag) is guarded by Store.mu. Lock order: shard.mu before Store.mu.
package kv

import (
	"errors"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
)

var (
	// ErrNotFound is returned for keys that are not in the store.
	ErrNotFound = errors.New("kv: key not found")
	// ErrClosed is returned by operations on a closed store.
	ErrClosed = errors.New("kv: store closed")
)

type entry struct {
	value   []byte
	version uint64
}

type shard struct {
	mu      sync.RWMutex
	items   map[string]entry
	version uint64
}

// Event describes a committed write, as seen by watchers.
type Event struct {
	Key     string
	Value   []byte
	Version uint64
	Deleted bool
}

// Store is a sharded map that is safe for concurrent use.
type Store struct {
	shards []*shard

	mu        sync.Mutex // guards the fields below
	closed    bool
	watchers  map[int]chan Event
	nextWatch int
}

// New returns a store with n shards (at least one).
func New(n int) *Store {
	if n < 1 {
		n = 1
	}
	s := &Store{
		shards:   make([]*shard, n),
		watchers: make(map[int]chan Event),
	}
	for i := range s.shards {
		s.shards[i] = &shard{items: make(map[string]entry)}
	}
	return s
}

func (s *Store) shardIndex(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(len(s.shards)))
}

func (s *Store) shardFor(key string) *shard {
	return s.shards[s.shardIndex(key)]
}

// lockShard returns the shard that owns key with its write lock held.
// The caller is responsible for unlocking sh.mu.
func (s *Store) lockShard(key string) *shard {
	sh := s.shardFor(key)
	sh.mu.Lock()
	return sh
}

// Get returns a copy of the value stored under key and its version.
func (s *Store) Get(key string) ([]byte, uint64, error) {
	sh := s.shardFor(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	e, ok := sh.items[key]
	if !ok {
		return nil, 0, ErrNotFound
	}
	return cloneBytes(e.value), e.version, nil
}

// Put stores value under key and returns the new version.
func (s *Store) Put(key string, value []byte) (uint64, error) {
	if s.isClosed() {
		return 0, ErrClosed
	}
	sh := s.lockShard(key)
	defer sh.mu.Unlock()

	sh.version++
	e := entry{value: cloneBytes(value), version: sh.version}
	sh.items[key] = e
	s.notify(Event{Key: key, Value: cloneBytes(e.value), Version: e.version})
	return e.version, nil
}

// Delete removes key and reports whether it was present.
func (s *Store) Delete(key string) bool {
	sh := s.lockShard(key)
	if _, ok := sh.items[key]; !ok {
		sh.mu.Unlock()
		return false
	}
	delete(sh.items, key)
	sh.version++
	ev := Event{Key: key, Version: sh.version, Deleted: true}
	sh.mu.Unlock()

	s.notify(ev)
	return true
}

// CompareAndSwap replaces the value of key if its current version is old
// (zero meaning "absent"). It reports whether the swap happened.
func (s *Store) CompareAndSwap(key string, old uint64, value []byte) (bool, error) {
	if s.isClosed() {
		return false, ErrClosed
	}
	sh := s.shardFor(key)
	sh.mu.Lock()
	cur, ok := sh.items[key]
	if (ok && cur.version != old) || (!ok && old != 0) {
		sh.mu.Unlock()
		return false, nil
	}
	sh.version++
	e := entry{value: cloneBytes(value), version: sh.version}
	sh.items[key] = e
	sh.mu.Unlock()

	s.notify(Event{Key: key, Value: cloneBytes(e.value), Version: e.version})
	return true, nil
}

// Len returns the number of keys. Shards are visited one at a time, so
// the result is only a point-in-time estimate under concurrent writes.
func (s *Store) Len() int {
	n := 0
	for _, sh := range s.shards {
		sh.mu.RLock()
		n += len(sh.items)
		sh.mu.RUnlock()
	}
	return n
}

// Snapshot copies every key and value. Each shard is read-locked only
// while it is being copied.
func (s *Store) Snapshot() map[string][]byte {
	out := make(map[string][]byte)
	for _, sh := range s.shards {
		func() {
			sh.mu.RLock()
			defer sh.mu.RUnlock()
			for k, e := range sh.items {
				out[k] = cloneBytes(e.value)
			}
		}()
	}
	return out
}

// Keys returns the sorted keys that start with prefix.
func (s *Store) Keys(prefix string) []string {
	var keys []string
	for _, sh := range s.shards {
		sh.mu.RLock()
		for k := range sh.items {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		sh.mu.RUnlock()
	}
	sort.Strings(keys)
	return keys
}

// Watch registers a watcher with a buffer of buf events. Events that do
// not fit are dropped. The returned cancel func is idempotent and safe to
// call after Close.
func (s *Store) Watch(buf int) (<-chan Event, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()

	id := s.nextWatch
	s.nextWatch++
	ch := make(chan Event, buf)
	s.watchers[id] = ch

	var once sync.Once
	cancel := func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			// Only the map's owner closes: Close may have got here first.
			if _, ok := s.watchers[id]; ok {
				delete(s.watchers, id)
				close(ch)
			}
		})
	}
	return ch, cancel
}

// notify fans ev out to the watchers without blocking the writer.
func (s *Store) notify(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.watchers {
		select {
		case ch <- ev:
		default:
		}
	}
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close closes every watcher channel. Reads keep working; writes fail.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	for id, ch := range s.watchers {
		delete(s.watchers, id)
		close(ch)
	}
	return nil
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
