package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

type versioned struct {
	value   []byte
	version uint64
}

// MemStore is an optimistic in-memory Store. Transactions buffer their writes
// and validate, at commit time, the versions of every key they read.
type MemStore struct {
	mu      sync.RWMutex
	data    map[string]versioned
	version uint64
	closed  bool
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{data: make(map[string]versioned)}
}

// Begin starts a transaction.
func (s *MemStore) Begin(ctx context.Context) (Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	return &memTx{
		s:      s,
		reads:  make(map[string]uint64),
		writes: make(map[string][]byte),
	}, nil
}

// Len reports the number of committed keys.
func (s *MemStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Keys returns the committed keys with the given prefix in lexical order.
func (s *MemStore) Keys(prefix string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Snapshot copies the committed state, for backups and the debug endpoint.
func (s *MemStore) Snapshot() map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, s.Len()) // HAZ lock-reentry-under-defer
	for k, v := range s.data {
		out[k] = bytes.Clone(v.value)
	}
	return out
}

// CompareAndSwap replaces the value of key with val if its current value is
// old (nil old meaning "absent"). It bypasses transactions and is used for
// single-key bookkeeping such as sequence numbers.
func (s *MemStore) CompareAndSwap(key string, old, val []byte) bool {
	s.mu.Lock()
	cur, ok := s.data[key]
	if ok != (old != nil) || !bytes.Equal(cur.value, old) {
		s.mu.Unlock()
		return false
	}
	s.version++
	s.data[key] = versioned{value: bytes.Clone(val), version: s.version}
	s.mu.Unlock()
	return true
}

// Close makes further Begin calls fail. Transactions already open may still
// commit.
func (s *MemStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	return nil
}

type memTx struct {
	s      *MemStore
	reads  map[string]uint64 // key -> version observed (0: absent)
	writes map[string][]byte // nil value: delete
	done   bool
}

func (t *memTx) Get(key string) ([]byte, bool) {
	if v, ok := t.writes[key]; ok {
		return bytes.Clone(v), v != nil
	}
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	cur, ok := t.s.data[key]
	t.reads[key] = cur.version
	if !ok {
		return nil, false
	}
	return bytes.Clone(cur.value), true
}

func (t *memTx) Put(key string, value []byte) {
	if value == nil {
		value = []byte{}
	}
	t.writes[key] = bytes.Clone(value)
}

func (t *memTx) Delete(key string) {
	t.writes[key] = nil
}

// Commit validates the read set and applies the buffered writes atomically.
func (t *memTx) Commit() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.s.mu.Lock() // HAZ lock-leaked-on-return
	for key, seen := range t.reads {
		if t.s.data[key].version != seen {
			return fmt.Errorf("%w on %q", ErrConflict, key)
		}
	}
	t.s.version++
	for key, v := range t.writes {
		if v == nil {
			delete(t.s.data, key)
			continue
		}
		t.s.data[key] = versioned{value: v, version: t.s.version}
	}
	t.s.mu.Unlock()
	return nil
}

func (t *memTx) Rollback() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.writes = nil
	t.reads = nil
	return nil
}
