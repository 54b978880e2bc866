// Package store is a content-addressed blob store on the local file system,
// with an on-disk JSON index and an append-only journal.
package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	// ErrNotFound is returned for unknown keys.
	ErrNotFound = errors.New("store: not found")
	// ErrLocked is returned when another process holds the maintenance lock.
	ErrLocked = errors.New("store: locked by another process")
)

// Options configure a Store.
type Options struct {
	// Exclusive makes maintenance operations take the on-disk lock.
	Exclusive bool
	Logger    *slog.Logger
}

// Meta describes one stored blob.
type Meta struct {
	Key      string    `json:"key"`
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
	Modified time.Time `json:"modified"`
}

// Store is safe for concurrent use.
type Store struct {
	root     string
	opts     Options
	logger   *slog.Logger
	mu       sync.RWMutex
	index    map[string]Meta
	failures atomic.Int64
}

// Open opens (creating if needed) the store rooted at root.
func Open(root string, opts Options) (*Store, error) {
	s := &Store{
		root:   root,
		opts:   opts,
		logger: cmp.Or(opts.Logger, slog.Default()),
		index:  make(map[string]Meta),
	}
	if err := os.MkdirAll(s.blobDir(), 0o755); err != nil {
		return nil, err
	}
	if err := s.readIndex(); err != nil {
		return nil, fmt.Errorf("store: read index: %w", err)
	}
	return s, nil
}

func (s *Store) blobDir() string   { return filepath.Join(s.root, "blobs") }
func (s *Store) indexPath() string { return filepath.Join(s.root, "index.json") }

func (s *Store) path(key string) (string, error) {
	if key == "" || key == "." || key == ".." || strings.ContainsAny(key, `/\`) || strings.HasPrefix(key, ".") {
		return "", fmt.Errorf("store: invalid key %q", key)
	}
	return filepath.Join(s.blobDir(), key), nil
}

func (s *Store) readIndex() error {
	f, err := os.Open(s.indexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var metas []Meta
	if err := json.NewDecoder(f).Decode(&metas); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range metas {
		s.index[m.Key] = m
	}
	return nil
}

// writeIndex replaces the on-disk index atomically.
func (s *Store) writeIndex() error {
	metas := s.snapshot()
	tmp := s.indexPath() + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(metas); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.indexPath())
}

// Close writes the index.
func (s *Store) Close() error {
	return s.writeIndex()
}

// snapshot returns the index entries sorted by key.
func (s *Store) snapshot() []Meta {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.SortedFunc(maps.Values(s.index), func(a, b Meta) int {
		return strings.Compare(a.Key, b.Key)
	})
}

// Keys yields the stored keys in order, from a snapshot taken when the loop
// starts.
func (s *Store) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, m := range s.snapshot() {
			if !yield(m.Key) {
				return
			}
		}
	}
}

// Stat returns the metadata of key.
func (s *Store) Stat(key string) (Meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.index[key]
	if !ok {
		return Meta{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return m, nil
}

// Count returns the number of stored blobs.
func (s *Store) Count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.index)
}

// TotalSize returns the sum of the blob sizes.
func (s *Store) TotalSize() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var total int64
	for _, m := range s.snapshot() { // HAZ lock-reentry-under-defer
		total += m.Size
	}
	return total
}

// Put stores the content of r under key, atomically: readers see either the
// old blob or the complete new one.
func (s *Store) Put(key string, r io.Reader) (meta Meta, err error) {
	dst, err := s.path(key)
	if err != nil {
		return Meta{}, err
	}
	tmp, err := os.CreateTemp(s.blobDir(), ".put-*")
	if err != nil {
		return Meta{}, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return Meta{}, err
	}
	if err = tmp.Sync(); err != nil {
		return Meta{}, err
	}
	if err = tmp.Close(); err != nil {
		return Meta{}, err
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return Meta{}, err
	}
	meta = Meta{Key: key, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Modified: time.Now().UTC()}
	s.mu.Lock()
	s.index[key] = meta
	s.mu.Unlock()
	if jerr := s.appendJournal("put", key); jerr != nil {
		s.logger.Warn("journal append failed", "key", key, "err", jerr)
	}
	return meta, nil
}

// ReadAll returns the content stored under key.
func (s *Store) ReadAll(key string) ([]byte, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// hashFile computes the metadata of the blob file name from its content.
func (s *Store) hashFile(name string) (Meta, error) {
	f, err := os.OpenFile(filepath.Join(s.blobDir(), name), os.O_RDONLY, 0)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Meta{}, err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Meta{}, err
	}
	return Meta{Key: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Modified: st.ModTime().UTC()}, nil
}

// Verify checks the content of key against its recorded checksum.
func (s *Store) Verify(key string) error {
	want, err := s.Stat(key)
	if err != nil {
		return err
	}
	got, err := s.hashFile(key)
	if err != nil {
		return err
	}
	if got.SHA256 != want.SHA256 {
		return fmt.Errorf("store: %s: checksum mismatch: have %s, want %s", key, got.SHA256, want.SHA256)
	}
	return nil
}

// Delete removes key.
func (s *Store) Delete(key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	s.mu.Lock()
	_, ok := s.index[key]
	delete(s.index, key)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return s.appendJournal("delete", key)
}
