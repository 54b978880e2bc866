// Package store is a generic key/value store persisted as JSON snapshots,
// with optional change hooks.
package store

import (
	"encoding/json"
	"errors"
	"log"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Store holds values of type T by key.
type Store[T any] struct {
	mu    sync.Mutex
	path  string
	items map[string]T
	hooks map[string]func()
}

// New returns an empty store persisted at path.
func New[T any](path string) *Store[T] {
	return &Store[T]{path: path, items: make(map[string]T), hooks: make(map[string]func())}
}

// Load reads the snapshot at path. The file is only read.
func Load[T any](path string) (*Store[T], error) {
	s := New[T](path)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&s.items); err != nil {
		return nil, err
	}
	return s, nil
}

// OnPut registers fn to run after every Put.
func (s *Store[T]) OnPut(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks["put"] = fn
}

// OnDelete registers fn to run after every successful Delete.
func (s *Store[T]) OnDelete(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks["delete"] = fn
}

// Put stores v under key and runs the put hook, if any.
func (s *Store[T]) Put(key string, v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.hooks["put"]; h != nil {
		defer h()
	}
	s.items[key] = v
}

// Delete removes key and runs the delete hook.
func (s *Store[T]) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[key]; !ok {
		return false
	}
	defer s.hooks["delete"]() // HAZ defer-nil-func
	delete(s.items, key)
	return true
}

// Snapshot is a copy of the store's contents.
type Snapshot[T any] struct {
	path  string
	items map[string]T
	taken time.Time
}

// Snapshot copies the current contents.
func (s *Store[T]) Snapshot() *Snapshot[T] {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Snapshot[T]{path: s.path, items: maps.Clone(s.items), taken: time.Now()}
}

// Save writes the snapshot atomically: temp file, checked close, rename.
func (sn *Snapshot[T]) Save() (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(sn.path), ".snap-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err := json.NewEncoder(tmp).Encode(sn.items); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), sn.path)
}

// Apply stores every entry of batch and persists the result.
func (s *Store[T]) Apply(batch map[string]T) {
	defer s.Snapshot().Save() // HAZ defer-call-chain
	for k, v := range batch {
		s.Put(k, v)
	}
}

// ApplyAndSave stores every entry of batch and then saves a snapshot taken
// after the batch; the deferred trace uses the f()() idiom.
func (s *Store[T]) ApplyAndSave(batch map[string]T) error {
	defer s.trace("apply")()
	for k, v := range batch {
		s.Put(k, v)
	}
	return s.Snapshot().Save()
}

// trace logs the start of op and returns a function logging its end.
func (s *Store[T]) trace(op string) func() {
	start := time.Now()
	log.Printf("store %s: %s started", s.path, op)
	return func() { log.Printf("store %s: %s took %v", s.path, op, time.Since(start)) }
}

// logResult logs the outcome of op.
func (s *Store[T]) logResult(op string, err error) {
	if err != nil {
		log.Printf("store %s: %s failed: %v", s.path, op, err)
		return
	}
	log.Printf("store %s: %s ok", s.path, op)
}

// truncateWAL empties the write-ahead log after a checkpoint.
func (s *Store[T]) truncateWAL() error {
	err := os.Truncate(s.path+".wal", 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Checkpoint saves a snapshot and truncates the write-ahead log.
func (s *Store[T]) Checkpoint() error {
	var err error
	defer s.logResult("checkpoint", err) // HAZ defer-eager-evaluation
	if err = s.Snapshot().Save(); err != nil {
		return err
	}
	err = s.truncateWAL()
	return err
}

// Sync is Checkpoint with the result logged from a closure over the named
// result, so the logged error is the returned one.
func (s *Store[T]) Sync() (err error) {
	defer func() { s.logResult("sync", err) }()
	if err = s.Snapshot().Save(); err != nil {
		return err
	}
	return s.truncateWAL()
}
