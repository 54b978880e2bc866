// Package store is a small balance store with optimistic transactions,
// JSON snapshots and a blob directory.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"example.com/up6/internal/fsx"
)

// ErrConflict is returned by Commit when another transaction committed first.
var ErrConflict = errors.New("store: transaction conflict")

type state struct {
	version uint64
	data    map[string]int64
}

// Store holds balances in an immutable state swapped atomically on commit.
type Store struct {
	dir     string
	cur     atomic.Pointer[state]
	persist sync.Mutex // serialises snapshot writes
}

// Snapshot is the persisted form of the store.
type Snapshot struct {
	Version uint64           `json:"version"`
	Data    map[string]int64 `json:"data"`
}

// Open loads the store in dir from its snapshot, if there is one.
func Open(dir string) (*Store, error) {
	s := &Store{dir: dir}
	st := &state{data: map[string]int64{}}
	f, err := os.Open(filepath.Join(dir, "snapshot.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		defer f.Close()
		var snap Snapshot
		if err := json.NewDecoder(f).Decode(&snap); err != nil {
			return nil, fmt.Errorf("store: decode snapshot: %w", err)
		}
		if snap.Data == nil {
			snap.Data = map[string]int64{}
		}
		st = &state{version: snap.Version, data: snap.Data}
	}
	s.cur.Store(st)
	return s, nil
}

// Dir returns the store directory.
func (s *Store) Dir() string { return s.dir }

// Snapshot returns a copy of the current state.
func (s *Store) Snapshot() *Snapshot {
	st := s.cur.Load()
	return &Snapshot{Version: st.version, Data: maps.Clone(st.data)}
}

// Save atomically writes the snapshot to path.
func (sn *Snapshot) Save(path string) error {
	return fsx.WriteJSON(path, sn)
}

// Checkpoint persists the current state to the store's snapshot file.
func (s *Store) Checkpoint() error {
	s.persist.Lock()
	defer s.persist.Unlock()
	return s.Snapshot().Save(filepath.Join(s.dir, "snapshot.json"))
}

// Txn is an optimistic transaction over one state version.
type Txn struct {
	s      *Store
	base   *state
	writes map[string]int64
}

// Begin starts a transaction on the current state.
func (s *Store) Begin() *Txn {
	return &Txn{s: s, base: s.cur.Load(), writes: map[string]int64{}}
}

// Get returns the value of k as seen by the transaction.
func (t *Txn) Get(k string) int64 {
	if v, ok := t.writes[k]; ok {
		return v
	}
	return t.base.data[k]
}

// Set records a write.
func (t *Txn) Set(k string, v int64) { t.writes[k] = v }

// Commit publishes the writes unless another commit happened since Begin.
func (t *Txn) Commit() error {
	if len(t.writes) == 0 {
		return nil
	}
	next := &state{version: t.base.version + 1, data: maps.Clone(t.base.data)}
	maps.Copy(next.data, t.writes)
	if !t.s.cur.CompareAndSwap(t.base, next) {
		return ErrConflict
	}
	return nil
}

// Rollback discards the writes.
func (t *Txn) Rollback() { clear(t.writes) }
