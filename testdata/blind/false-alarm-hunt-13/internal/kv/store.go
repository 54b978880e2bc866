// Package kv is an in-memory, revisioned key-value store with watches and
// leases, loosely modelled on etcd's mvcc layer.
//
// Locking conventions: s.mu guards every field of Store except size. Methods
// whose name ends in "Locked" must be called with s.mu held for writing
// (read-only ones say so) and never take the lock themselves.
package kv

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	ErrKeyExists   = errors.New("kv: key already exists")
	ErrKeyNotFound = errors.New("kv: key not found")
	ErrRevMismatch = errors.New("kv: revision mismatch")
	ErrCompacted   = errors.New("kv: revision already compacted")
)

// EventType says what happened to a key.
type EventType int

const (
	EventPut EventType = iota
	EventDelete
)

// Event is delivered to watchers. Value is shared and must not be modified.
type Event struct {
	Type  EventType
	Key   string
	Value []byte
	Rev   int64
}

type item struct {
	value     []byte
	createRev int64
	modRev    int64
	version   int64
}

// Stats is a point-in-time snapshot of the store's counters.
type Stats struct {
	Keys       int
	Rev        int64
	CompactRev int64
	Watchers   int
	LockWait   time.Duration
}

// Log writes the snapshot to l on one line.
func (st Stats) Log(l *log.Logger) {
	l.Printf("kv: keys=%d rev=%d compacted=%d watchers=%d lockwait=%v",
		st.Keys, st.Rev, st.CompactRev, st.Watchers, st.LockWait)
}

// Store is the revisioned key-value store.
type Store struct {
	mu         sync.RWMutex
	items      map[string]*item
	tombstones map[string]int64
	rev        int64
	compactRev int64
	watchers   map[int]*watcher
	nextWatch  int
	lockWait   time.Duration
	onCompact  func(rev int64)

	size atomic.Int64 // approximate bytes, published by reportSize
}

// NewStore returns an empty store at revision 0.
func NewStore() *Store {
	return &Store{
		items:      make(map[string]*item),
		tombstones: make(map[string]int64),
		watchers:   make(map[int]*watcher),
	}
}

// OnCompact registers fn to run after each successful compaction. fn runs
// without the store lock held and may call back into the store.
func (s *Store) OnCompact(fn func(rev int64)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCompact = fn
}

// Get returns a copy of the value stored under key and its mod revision.
func (s *Store) Get(key string) ([]byte, int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[key]
	if !ok {
		return nil, 0, false
	}
	return bytes.Clone(it.value), it.modRev, true
}

// Rev returns the current store revision.
func (s *Store) Rev() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev
}

// Put stores value under key and returns the new store revision.
func (s *Store) Put(key string, value []byte) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putLocked(key, value)
}

func (s *Store) putLocked(key string, value []byte) int64 {
	s.rev++
	it, ok := s.items[key]
	if !ok {
		it = &item{createRev: s.rev}
		s.items[key] = it
	}
	// Never mutate an existing slice in place: Range and watchers share it.
	it.value = bytes.Clone(value)
	it.modRev = s.rev
	it.version++
	delete(s.tombstones, key)
	s.notifyLocked(Event{Type: EventPut, Key: key, Value: it.value, Rev: s.rev})
	return s.rev
}

// Create stores value under key only if key does not exist yet.
func (s *Store) Create(key string, value []byte) (int64, error) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if it, ok := s.items[key]; ok {
		return it.modRev, fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	rev := s.putLocked(key, value)
	s.mu.Unlock()
	return rev, nil
}

// CompareAndSwap replaces the value of key if its mod revision is still
// expectRev. On a mismatch it returns the current mod revision.
func (s *Store) CompareAndSwap(key string, expectRev int64, value []byte) (int64, error) {
	s.mu.Lock()
	cur, ok := s.items[key]
	if !ok {
		s.mu.Unlock()
		return 0, fmt.Errorf("%w: %q", ErrKeyNotFound, key)
	}
	if cur.modRev != expectRev {
		got := cur.modRev
		s.mu.Unlock()
		return got, fmt.Errorf("%w: %q at %d, want %d", ErrRevMismatch, key, got, expectRev)
	}
	rev := s.putLocked(key, value)
	s.mu.Unlock()
	return rev, nil
}

// Delete removes key and returns the new revision.
func (s *Store) Delete(key string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteLocked(key)
}

func (s *Store) deleteLocked(key string) (int64, bool) {
	if _, ok := s.items[key]; !ok {
		return s.rev, false
	}
	s.rev++
	delete(s.items, key)
	s.tombstones[key] = s.rev
	s.notifyLocked(Event{Type: EventDelete, Key: key, Rev: s.rev})
	return s.rev, true
}

// lock acquires the write lock and accounts the time spent waiting for it.
// Every call is paired with unlock by its caller.
func (s *Store) lock() {
	start := time.Now()
	s.mu.Lock()
	s.lockWait += time.Since(start)
}

// unlock releases the write lock taken by lock.
func (s *Store) unlock() {
	s.mu.Unlock()
}

// DeletePrefix removes every key starting with prefix.
func (s *Store) DeletePrefix(prefix string) int {
	s.lock()
	defer s.unlock()
	n := 0
	for k := range s.items {
		if strings.HasPrefix(k, prefix) {
			s.deleteLocked(k)
			n++
		}
	}
	return n
}

// WriteTxn batches several mutations under one hold of the write lock. It
// must be ended with End, normally via defer.
type WriteTxn struct {
	s       *Store
	changes int
}

// Write starts a write transaction. The write lock is held until End.
func (s *Store) Write() *WriteTxn {
	s.lock()
	return &WriteTxn{s: s}
}

// Put stores value under key inside the transaction.
func (t *WriteTxn) Put(key string, value []byte) {
	t.s.putLocked(key, value)
	t.changes++
}

// Delete removes key inside the transaction.
func (t *WriteTxn) Delete(key string) bool {
	_, ok := t.s.deleteLocked(key)
	if ok {
		t.changes++
	}
	return ok
}

// End releases the write lock and returns the store revision it left behind.
func (t *WriteTxn) End() int64 {
	rev := t.s.rev
	t.s.unlock()
	return rev
}

// PutMany applies all pairs in key order as one atomic step for readers.
func (s *Store) PutMany(kvs map[string][]byte) int64 {
	keys := make([]string, 0, len(kvs))
	for k := range kvs {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	txn := s.Write()
	defer txn.End()
	for _, k := range keys {
		txn.Put(k, kvs[k])
	}
	return s.rev
}

// Stats returns a snapshot of the store's counters.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{
		Keys:       len(s.items),
		Rev:        s.rev,
		CompactRev: s.compactRev,
		Watchers:   len(s.watchers),
		LockWait:   s.lockWait,
	}
}

// Compact forgets tombstones at or below rev.
func (s *Store) Compact(rev int64) (int, error) {
	s.mu.Lock()
	if rev <= s.compactRev {
		s.mu.Unlock()
		return 0, ErrCompacted
	}
	if rev > s.rev {
		cur := s.rev
		s.mu.Unlock()
		return 0, fmt.Errorf("kv: compact revision %d is in the future (current %d)", rev, cur)
	}
	n := s.compactLocked(rev)
	hook := s.onCompact
	s.mu.Unlock()

	if hook != nil {
		hook(rev)
	}
	return n, nil
}

func (s *Store) compactLocked(rev int64) int {
	n := 0
	for k, delRev := range s.tombstones {
		if delRev <= rev {
			delete(s.tombstones, k)
			n++
		}
	}
	s.compactRev = rev
	return n
}

// CompactAsync compacts up to rev and refreshes the size estimate in the
// background so the caller does not pay for the scan.
func (s *Store) CompactAsync(rev int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rev <= s.compactRev || rev > s.rev {
		return 0
	}
	n := s.compactLocked(rev)
	go s.reportSize() // takes the read lock once we have released it
	return n
}

// reportSize recomputes the approximate data size.
func (s *Store) reportSize() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var total int64
	for k, it := range s.items {
		total += int64(len(k) + len(it.value))
	}
	s.size.Store(total)
}

// Size returns the last published size estimate in bytes.
func (s *Store) Size() int64 {
	return s.size.Load()
}

// Range calls fn for every key with the given prefix, in key order, until fn
// returns false. fn runs without the lock held and may modify the store.
func (s *Store) Range(prefix string, fn func(key string, value []byte, rev int64) bool) {
	type entry struct {
		key   string
		value []byte
		rev   int64
	}
	s.mu.RLock()
	snap := make([]entry, 0, len(s.items))
	for k, it := range s.items {
		if strings.HasPrefix(k, prefix) {
			snap = append(snap, entry{k, it.value, it.modRev})
		}
	}
	s.mu.RUnlock()

	sort.Slice(snap, func(i, j int) bool { return snap[i].key < snap[j].key })
	for _, e := range snap {
		if !fn(e.key, e.value, e.rev) {
			return
		}
	}
}
