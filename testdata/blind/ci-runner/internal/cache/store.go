// Package cache keeps archived directories (module caches, node_modules,
// build outputs) keyed by content hashes so that jobs can restore them.
package cache

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/cirunner/internal/artifact"
)

const indexName = "index.json"

// Store is a size-bounded directory of cache archives.
type Store struct {
	dir      string
	maxBytes int64

	mu      sync.Mutex
	entries map[string]*entry
	size    int64
}

type entry struct {
	Key      string    `json:"key"`
	Size     int64     `json:"size"`
	LastUsed time.Time `json:"last_used"`
}

// Stats is a point-in-time view of the store.
type Stats struct {
	Entries  int   `json:"entries"`
	Bytes    int64 `json:"bytes"`
	MaxBytes int64 `json:"max_bytes"`
}

// Open opens the store in dir, loading its index if there is one.
func Open(dir string, maxBytes int64) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, maxBytes: maxBytes, entries: make(map[string]*entry)}
	if err := s.loadIndex(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cache index: %w", err)
	}
	return s, nil
}

func (s *Store) loadIndex() error {
	f, err := os.Open(filepath.Join(s.dir, indexName))
	if err != nil {
		return err
	}
	defer f.Close()
	var list []*entry
	if err := json.NewDecoder(f).Decode(&list); err != nil {
		return err
	}
	for _, e := range list {
		s.entries[e.Key] = e
		s.size += e.Size
	}
	return nil
}

func (s *Store) path(key string) string {
	return filepath.Join(s.dir, key+".tar.gz")
}

// Put stores the archive read from r under key.
func (s *Store) Put(key string, r io.Reader) (err error) {
	if !validKey(key) {
		return fmt.Errorf("cache: invalid key %q", key)
	}
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, r)
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path(key)); err != nil {
		return err
	}
	s.record(key, n)
	return nil
}

func (s *Store) record(key string, size int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[key]; ok {
		s.size -= old.Size
	}
	s.entries[key] = &entry{Key: key, Size: size, LastUsed: time.Now()}
	s.size += size
}

// OpenEntry opens the archive stored under key and marks it as used.
func (s *Store) OpenEntry(key string) (*os.File, int64, error) {
	if !validKey(key) {
		return nil, 0, fmt.Errorf("cache: invalid key %q", key)
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	s.touch(key)
	return f, info.Size(), nil
}

func (s *Store) touch(key string) {
	s.mu.Lock()
	if e, ok := s.entries[key]; ok {
		e.LastUsed = time.Now()
	}
	s.mu.Unlock()
}

// Save archives the files matching patterns below root under key.
func (s *Store) Save(key, root string, patterns []string) error {
	if !validKey(key) {
		return fmt.Errorf("cache: invalid key %q", key)
	}
	files, err := artifact.Collect(root, patterns)
	if err != nil || len(files) == 0 {
		return err
	}
	tmp := filepath.Join(s.dir, fmt.Sprintf(".save-%s-%d", key, time.Now().UnixNano()))
	if err := artifact.PackFile(tmp, root, files); err != nil {
		return err
	}
	info, err := os.Stat(tmp)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path(key)); err != nil {
		os.Remove(tmp)
		return err
	}
	s.record(key, info.Size())
	return nil
}

// Restore unpacks the archive stored under key into dst. It reports
// whether the key was present.
func (s *Store) Restore(key, dst string) (bool, error) {
	f, _, err := s.OpenEntry(key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := artifact.Unpack(bufio.NewReader(f), dst); err != nil {
		return true, fmt.Errorf("restore %s: %w", key, err)
	}
	return true, nil
}

// Size returns the total size of all archives.
func (s *Store) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Stats returns counters for the status page.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Entries: len(s.entries), Bytes: s.size, MaxBytes: s.maxBytes}
}

// Evict drops least-recently-used entries until the store fits maxBytes.
func (s *Store) Evict() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var removed []string
	var errs []error
	for _, e := range s.lruLocked() {
		if s.Size() <= s.maxBytes { // HAZ lock-reentry-under-defer
			break
		}
		if err := s.removeLocked(e.Key); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Key)
	}
	return removed, errors.Join(errs...)
}

// Prune removes entries that were not used since cutoff.
func (s *Store) Prune(cutoff time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	var errs []error
	for _, e := range s.lruLocked() {
		if !e.LastUsed.Before(cutoff) {
			break
		}
		if err := s.removeLocked(e.Key); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// lruLocked returns the entries, least recently used first. s.mu must be held.
func (s *Store) lruLocked() []*entry {
	list := make([]*entry, 0, len(s.entries))
	for _, e := range s.entries {
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].LastUsed.Before(list[j].LastUsed) })
	return list
}

// removeLocked deletes one archive. s.mu must be held.
func (s *Store) removeLocked(key string) error {
	e, ok := s.entries[key]
	if !ok {
		return nil
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	delete(s.entries, key)
	s.size -= e.Size
	return nil
}

// Close persists the index.
func (s *Store) Close() error {
	s.mu.Lock()
	list := make([]entry, 0, len(s.entries))
	for _, e := range s.entries {
		list = append(list, *e)
	}
	s.mu.Unlock()
	return writeIndex(filepath.Join(s.dir, indexName), list)
}

// writeIndex replaces the index file atomically.
func writeIndex(path string, list []entry) (err error) {
	sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriter(tmp)
	if err := json.NewEncoder(w).Encode(list); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
