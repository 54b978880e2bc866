package kv

import (
	"errors"
	"sort"
)

// ErrConflict is returned by Commit when a key read by the transaction
// was modified before the commit.
var ErrConflict = errors.New("kv: transaction conflict")

// Txn is an optimistic transaction: reads remember the version they saw
// and Commit fails if any of those versions changed in the meantime.
type Txn struct {
	s      *Store
	reads  map[string]uint64
	writes map[string][]byte
}

// Begin starts a transaction.
func (s *Store) Begin() *Txn {
	return &Txn{s: s, reads: make(map[string]uint64), writes: make(map[string][]byte)}
}

// Get reads key, preferring the transaction's own pending write.
func (t *Txn) Get(key string) ([]byte, error) {
	if v, ok := t.writes[key]; ok {
		return cloneBytes(v), nil
	}
	v, ver, err := t.s.Get(key)
	if errors.Is(err, ErrNotFound) {
		t.reads[key] = 0
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	t.reads[key] = ver
	return v, nil
}

// Set buffers a write until Commit.
func (t *Txn) Set(key string, value []byte) {
	t.writes[key] = cloneBytes(value)
}

// shardIndexes returns the sorted, de-duplicated shard indexes touched by
// the transaction. Locking in this order keeps commits deadlock free.
func (t *Txn) shardIndexes() []int {
	seen := make(map[int]bool)
	var idx []int
	for _, keys := range []map[string]uint64{t.reads, keysOf(t.writes)} {
		for k := range keys {
			i := t.s.shardIndex(k)
			if !seen[i] {
				seen[i] = true
				idx = append(idx, i)
			}
		}
	}
	sort.Ints(idx)
	return idx
}

func keysOf(m map[string][]byte) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}

// Commit validates the reads and applies the writes atomically, then
// notifies watchers once every shard lock has been released.
func (t *Txn) Commit() error {
	if t.s.isClosed() {
		return ErrClosed
	}
	events, err := t.apply()
	if err != nil {
		return err
	}
	for _, ev := range events {
		t.s.notify(ev)
	}
	return nil
}

func (t *Txn) apply() ([]Event, error) {
	idx := t.shardIndexes()
	for _, i := range idx {
		t.s.shards[i].mu.Lock()
	}
	defer func() {
		for _, i := range idx {
			t.s.shards[i].mu.Unlock()
		}
	}()

	for key, seen := range t.reads {
		if t.s.shardFor(key).items[key].version != seen {
			return nil, ErrConflict
		}
	}
	events := make([]Event, 0, len(t.writes))
	for key, v := range t.writes {
		sh := t.s.shardFor(key)
		sh.version++
		sh.items[key] = entry{value: v, version: sh.version}
		events = append(events, Event{Key: key, Value: cloneBytes(v), Version: sh.version})
	}
	return events, nil
}
