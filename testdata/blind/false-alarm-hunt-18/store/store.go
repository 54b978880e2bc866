// Package store is the in-memory key/value store behind blobd, persisted
// as a record-file snapshot.
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/fah18/recordio"
	"example.com/fah18/trace"
)

// ErrClosed is returned by operations on a closed Store.
var ErrClosed = errors.New("store: closed")

// Options configure a Store.
type Options struct {
	Dir string
	// UseFileLock makes Compact take an exclusive lock file in Dir, for
	// directories shared by several processes.
	UseFileLock bool
	Logf        func(format string, args ...any)
}

// A Store is a concurrency-safe map persisted to Dir.
type Store struct {
	opts  Options
	stats Counters

	mu      sync.RWMutex
	data    map[string][]byte
	version uint64
	closed  bool
}

// Open loads the snapshot in opts.Dir, if there is one.
func Open(opts Options) (*Store, error) {
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	s := &Store{opts: opts, data: make(map[string][]byte)}
	recs, err := recordio.ReadFile(s.snapshotPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, r := range recs {
		s.data[r.Key] = r.Value
	}
	return s, nil
}

func (s *Store) snapshotPath() string { return filepath.Join(s.opts.Dir, "snapshot.rec") }

func (s *Store) logf(format string, args ...any) { s.opts.Logf(format, args...) }

// Get returns the value stored under key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.stats.reads.Add(1)
	v, ok := s.data[key]
	return v, ok
}

// Version returns a counter that increases with every modification.
func (s *Store) Version() uint64 {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return s.version
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Set stores v under key.
func (s *Store) Set(key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.setLocked(key, v)
	return nil
}

// setLocked is Set with s.mu held.
func (s *Store) setLocked(key string, v []byte) {
	s.data[key] = v
	s.version++
	s.stats.writes.Add(1)
}

// Keys returns the keys in sorted order.
func (s *Store) Keys() []string {
	defer trace.Region("store.Keys") // HAZ defer-func-result-not-called
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedKeysLocked()
}

// sortedKeysLocked returns the keys in sorted order. s.mu must be held,
// for reading at least.
func (s *Store) sortedKeysLocked() []string {
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// recordsLocked returns the contents as records sorted by key. s.mu must
// be held, for reading at least.
func (s *Store) recordsLocked() []recordio.Record {
	recs := make([]recordio.Record, 0, len(s.data))
	for _, k := range s.sortedKeysLocked() {
		recs = append(recs, recordio.Record{Key: k, Value: s.data[k]})
	}
	return recs
}

// Flush writes a snapshot, holding the directory lock if the store is
// configured to use one.
func (s *Store) Flush() error {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if s.opts.UseFileLock {
		release, err := lockDir(s.opts.Dir)
		if err != nil {
			return err
		}
		unlock = release
	}
	s.mu.RLock()
	recs := s.recordsLocked()
	s.mu.RUnlock()
	return recordio.WriteFileAtomic(s.snapshotPath(), recs)
}

// Close writes a final snapshot and rejects further writes.
func (s *Store) Close() (err error) {
	start := time.Now()
	defer func() { s.logf("store: closed in %v (err=%v)", time.Since(start), err) }()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	recs := s.recordsLocked()
	s.mu.Unlock()
	return recordio.WriteFileAtomic(s.snapshotPath(), recs)
}

// DeleteKeys removes keys one at a time, so that readers are never
// blocked for the whole batch, and reports how many were present.
func (s *Store) DeleteKeys(keys []string) int {
	n := 0
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if _, ok := s.data[k]; ok {
			delete(s.data, k)
			s.version++
			n++
		}
	}
	return n
}

// DeletePrefix removes every key with the given prefix, one at a time.
func (s *Store) DeletePrefix(prefix string) int {
	n := 0
	for _, k := range s.keysWithPrefix(prefix) {
		if s.deleteOne(k) {
			n++
		}
	}
	return n
}

// keysWithPrefix returns the keys starting with prefix.
func (s *Store) keysWithPrefix(prefix string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var keys []string
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys
}

// deleteOne removes key and reports whether it was present.
func (s *Store) deleteOne(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data[key]; !ok {
		return false
	}
	delete(s.data, key)
	s.version++
	return true
}

// String implements fmt.Stringer for debugging.
func (s *Store) String() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fmt.Sprintf("store(%s, %d keys, v%d)", s.opts.Dir, len(s.data), s.version)
}
