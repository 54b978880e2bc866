// Package cache holds online feature values in a sharded, TTL-bounded map.
// Each shard has its own RWMutex so that reads of unrelated entities never
// contend; background goroutines evict expired entries.
package cache

import (
	"errors"
	"hash/fnv"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/featurestore/internal/metrics"
)

// ErrNotFound is returned by loaders that have no value for a key.
var ErrNotFound = errors.New("cache: key not found")

type entry struct {
	value   []byte
	version int64
	expires time.Time
}

type shard struct {
	mu    sync.RWMutex
	items map[string]entry
}

// Store is the online feature cache. Keys are "<view>/<entity>/<feature>".
type Store struct {
	shards  []*shard
	ttl     time.Duration
	metrics *metrics.Registry

	hits   atomic.Int64
	misses atomic.Int64

	// OnEvict, if set, is called outside any shard lock for every key the
	// store drops. It must not block.
	OnEvict func(key string)

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// Stats is a cheap summary of the store.
type Stats struct {
	Shards int   `json:"shards"`
	Keys   int   `json:"keys"`
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
}

// New returns a store with nShards shards whose entries live for ttl.
func New(nShards int, ttl time.Duration, m *metrics.Registry) *Store {
	if nShards <= 0 {
		nShards = 16
	}
	s := &Store{
		shards:  make([]*shard, nShards),
		ttl:     ttl,
		metrics: m,
		stop:    make(chan struct{}),
	}
	for i := range s.shards {
		s.shards[i] = &shard{items: make(map[string]entry)}
	}
	return s
}

func (s *Store) shardFor(key string) *shard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return s.shards[h.Sum32()%uint32(len(s.shards))]
}

// Get returns the live value for key.
func (s *Store) Get(key string) ([]byte, bool) {
	v, ok := s.shardFor(key).get(key, time.Now())
	if ok {
		s.hits.Add(1)
	} else {
		s.misses.Add(1)
	}
	return v, ok
}

func (sh *shard) get(key string, now time.Time) ([]byte, bool) {
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return sh.lookupLocked(key, now)
}

// lookupLocked must be called with sh.mu held (read or write).
func (sh *shard) lookupLocked(key string, now time.Time) ([]byte, bool) {
	e, ok := sh.items[key]
	if !ok || now.After(e.expires) {
		return nil, false
	}
	return e.value, true
}

// Put stores value unless a newer version is already cached.
func (s *Store) Put(key string, value []byte, version int64) bool {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if cur, ok := sh.items[key]; ok && cur.version > version {
		return false
	}
	sh.items[key] = entry{value: value, version: version, expires: time.Now().Add(s.ttl)}
	return true
}

// PutIfAbsent stores value only when key has no live entry. It reports
// whether the value was stored.
func (s *Store) PutIfAbsent(key string, value []byte, version int64) bool {
	sh := s.shardFor(key)
	now := time.Now()
	sh.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := sh.items[key]; ok && now.Before(e.expires) {
		return false
	}
	sh.items[key] = entry{value: value, version: version, expires: now.Add(s.ttl)}
	sh.mu.Unlock()
	return true
}

// PutBatch writes a batch of values that share one version.
func (s *Store) PutBatch(values map[string][]byte, version int64) {
	exp := time.Now().Add(s.ttl)
	for key, v := range values {
		sh := s.shardFor(key)
		sh.mu.Lock()
		defer sh.mu.Unlock() // HAZ defer-in-loop
		if cur, ok := sh.items[key]; ok && cur.version > version {
			continue
		}
		sh.items[key] = entry{value: v, version: version, expires: exp}
	}
}

// PutMany is the materialiser's bulk write: keys are grouped by shard so
// that every shard lock is taken once. It returns the number of keys stored.
func (s *Store) PutMany(values map[string][]byte, version int64) int {
	byShard := make(map[*shard][]string)
	for key := range values {
		sh := s.shardFor(key)
		byShard[sh] = append(byShard[sh], key)
	}
	exp := time.Now().Add(s.ttl)
	stored := 0
	for sh, keys := range byShard {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			for _, k := range keys {
				if cur, ok := sh.items[k]; ok && cur.version > version {
					continue
				}
				sh.items[k] = entry{value: values[k], version: version, expires: exp}
				stored++
			}
		}()
	}
	return stored
}

// Touch extends the lifetime of a live entry.
func (s *Store) Touch(key string, extend time.Duration) bool {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.RUnlock() // HAZ defer-lock-mismatch
	e, ok := sh.items[key]
	if !ok {
		return false
	}
	e.expires = e.expires.Add(extend)
	sh.items[key] = e
	return true
}

// Delete drops key and reports whether it was present.
func (s *Store) Delete(key string) bool {
	sh := s.shardFor(key)
	sh.mu.Lock()
	if _, ok := sh.items[key]; !ok {
		sh.mu.Unlock()
		return false
	}
	delete(sh.items, key)
	sh.mu.Unlock()
	s.fireEvict(key)
	return true
}

// fireEvict runs the user's eviction hook. A misbehaving hook must not take
// the evictor down with it.
func (s *Store) fireEvict(key string) {
	if s.OnEvict == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	s.OnEvict(key)
}

// GetOrLoad returns the cached value or loads, caches and returns it.
func (s *Store) GetOrLoad(key string, load func(string) ([]byte, int64, error)) ([]byte, error) {
	return s.shardFor(key).getOrLoad(key, s.ttl, load)
}

func (sh *shard) getOrLoad(key string, ttl time.Duration, load func(string) ([]byte, int64, error)) ([]byte, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if v, ok := sh.get(key, time.Now()); ok { // HAZ lock-reentry-under-defer
		return v, nil
	}
	v, version, err := load(key)
	if err != nil {
		return nil, err
	}
	sh.items[key] = entry{value: v, version: version, expires: time.Now().Add(ttl)}
	return v, nil
}

// CompareAndSwap replaces key's value only if the cached version is old.
func (s *Store) CompareAndSwap(key string, old int64, value []byte, version int64) bool {
	return s.shardFor(key).compareAndSwap(key, old, value, version, s.ttl)
}

func (sh *shard) compareAndSwap(key string, old int64, value []byte, version int64, ttl time.Duration) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.lookupLocked(key, time.Now()); !ok {
		return false
	}
	if sh.items[key].version != old {
		return false
	}
	sh.items[key] = entry{value: value, version: version, expires: time.Now().Add(ttl)}
	return true
}

// Len counts entries, live or not yet swept.
func (s *Store) Len() int {
	total := 0
	for _, sh := range s.shards {
		sh.mu.RLock()
		total += len(sh.items)
		sh.mu.RUnlock()
	}
	return total
}

// Keys lists live keys with the given prefix, in no particular order.
func (s *Store) Keys(prefix string) []string {
	now := time.Now()
	var out []string
	for _, sh := range s.shards {
		func() {
			sh.mu.RLock()
			defer sh.mu.RUnlock()
			for k, e := range sh.items {
				if strings.HasPrefix(k, prefix) && now.Before(e.expires) {
					out = append(out, k)
				}
			}
		}()
	}
	return out
}

func (sh *shard) snapshot(now time.Time) map[string]entry {
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	out := make(map[string]entry, len(sh.items))
	for k, e := range sh.items {
		if now.Before(e.expires) {
			out[k] = e
		}
	}
	return out
}

// All iterates over live entries. Each shard is copied under its read lock
// and yielded with no lock held, so the loop body may call back into the
// store.
func (s *Store) All() iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		now := time.Now()
		for _, sh := range s.shards {
			for k, e := range sh.snapshot(now) {
				if !yield(k, e.value) {
					return
				}
			}
		}
	}
}

// Stats summarises the store.
func (s *Store) Stats() Stats {
	return Stats{
		Shards: len(s.shards),
		Keys:   s.Len(),
		Hits:   s.hits.Load(),
		Misses: s.misses.Load(),
	}
}
