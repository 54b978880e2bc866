// Package store is a small file-backed key/value store.
package store

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
)

// ErrNotFound is returned by Get for a missing key.
var ErrNotFound = errors.New("store: not found")

// Store keeps everything in memory and writes it back on Flush.
type Store struct {
	mu    sync.RWMutex
	path  string
	data  map[string][]byte
	dirty bool
}

// Open loads the store at path; a missing file is an empty store.
func Open(path string) (*Store, error) {
	s := &Store{path: path, data: make(map[string][]byte)}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		val, err := hex.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("store %s: key %s: %w", path, k, err)
		}
		s.data[k] = val
	}
	return s, sc.Err()
}

// Get returns a copy of the value under key.
func (s *Store) Get(key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(v), nil
}

// Put stores a copy of v under key.
func (s *Store) Put(key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = slices.Clone(v)
	s.dirty = true
	return nil
}

// Delete removes key.
func (s *Store) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.data, key)
	s.dirty = true
}

// Keys returns the sorted keys.
func (s *Store) Keys() ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}

// Flush writes the store back to disk through a temporary file. The file is
// closed explicitly and every error is checked.
func (s *Store) Flush() (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty {
		return nil
	}
	tmp := s.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(bw, "%s\t%s\n", k, hex.EncodeToString(s.data[k]))
	}
	if err = bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, s.path); err != nil {
		return err
	}
	s.dirty = false
	return nil
}

// Close flushes pending changes.
func (s *Store) Close() error { return s.Flush() }
