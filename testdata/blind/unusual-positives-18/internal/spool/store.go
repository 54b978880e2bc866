package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Store is a directory of numbered segments plus an append-only index.
type Store struct {
	dir   string
	mu    sync.Mutex
	index *os.File
	seq   int
}

// OpenStore opens (creating if needed) the store rooted at dir.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	idx, err := Create(filepath.Join(dir, "index"))
	if err != nil {
		return nil, fmt.Errorf("spool: open index: %w", err)
	}
	segs, err := filepath.Glob(filepath.Join(dir, "seg-*.log"))
	if err != nil {
		idx.Close()
		return nil, err
	}
	return &Store{dir: dir, index: idx, seq: len(segs)}, nil
}

// Dir returns the store's root directory.
func (s *Store) Dir() string { return s.dir }

// Append writes rec as a new segment and records it in the index.
func (s *Store) Append(rec []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	name := filepath.Join(s.dir, fmt.Sprintf("seg-%08d.log", s.seq))
	if err := os.WriteFile(name, rec, 0o640); err != nil {
		return "", fmt.Errorf("spool: %w", err)
	}
	if _, err := fmt.Fprintf(s.index, "%s %d\n", filepath.Base(name), len(rec)); err != nil {
		return "", fmt.Errorf("spool: index: %w", err)
	}
	return name, nil
}

// Segments lists the store's segments in order.
func (s *Store) Segments() ([]string, error) {
	segs, err := filepath.Glob(filepath.Join(s.dir, "seg-*.log"))
	if err != nil {
		return nil, err
	}
	sort.Strings(segs)
	return segs, nil
}

// Close syncs and closes the index; both errors are reported.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(s.index.Sync(), s.index.Close())
}

// Seq returns the number of the last segment written.
func (s *Store) Seq() int {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	return s.seq
}

// Len returns how many segments the store has written since it was opened,
// including those found on disk.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}
