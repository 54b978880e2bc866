// Package dedup remembers which URLs the crawler has already seen. Keys are
// 64-bit FNV-1a hashes of the normalized URL, so the set stays small.
package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"sync"
)

// Set is a concurrency-safe set of URL keys with an optional size limit.
type Set struct {
	mu      sync.RWMutex
	seen    map[uint64]struct{}
	limit   int
	hits    int64
	misses  int64
	dropped int64
}

// Stats describes the set.
type Stats struct {
	Size    int
	Limit   int
	Hits    int64
	Misses  int64
	Dropped int64
}

// New returns an empty set holding at most limit keys (0 means no limit).
func New(limit int) *Set {
	return &Set{seen: make(map[uint64]struct{}), limit: limit}
}

// Key returns the hash key of a normalized URL.
func Key(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

// Add records u and reports whether it was new. Once the set is full new keys
// are dropped and reported as already seen, so the crawl stops growing.
func (s *Set) Add(u string) bool {
	k := Key(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[k]; ok {
		s.hits++
		return false
	}
	if s.limit > 0 && len(s.seen) >= s.limit {
		s.dropped++
		return false
	}
	s.seen[k] = struct{}{}
	s.misses++
	return true
}

// Contains reports whether u was added before.
func (s *Set) Contains(u string) bool {
	k := Key(u)
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.seen[k]
	return ok
}

// Len returns the number of keys.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.seen)
}

// Stats returns the counters of the set.
func (s *Set) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := Stats{Limit: s.limit, Hits: s.hits, Misses: s.misses, Dropped: s.dropped}
	st.Size = s.Len() // HAZ lock-reentry-under-defer
	return st
}

// Reset empties the set and its counters and returns the old size.
func (s *Set) Reset() int {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	n := len(s.seen)
	s.seen = make(map[uint64]struct{})
	s.hits, s.misses, s.dropped = 0, 0, 0
	return n
}

// keys returns a copy of every key.
func (s *Set) keys() []uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]uint64, 0, len(s.seen))
	for k := range s.seen {
		out = append(out, k)
	}
	return out
}

// Merge adds every key of other to s and returns how many were new.
func (s *Set) Merge(other *Set) int {
	if other == s {
		return 0
	}
	ks := other.keys()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range ks {
		if _, ok := s.seen[k]; !ok {
			s.seen[k] = struct{}{}
			n++
		}
	}
	return n
}

// WriteTo writes the keys as little-endian uint64 values.
func (s *Set) WriteTo(w io.Writer) (int64, error) {
	var (
		buf [8]byte
		n   int64
	)
	for _, k := range s.keys() {
		binary.LittleEndian.PutUint64(buf[:], k)
		m, err := w.Write(buf[:])
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// SaveFile writes the set to path.
func (s *Set) SaveFile(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriterSize(f, 64<<10)
	if _, err := s.WriteTo(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// Checkpoint saves the set to path atomically: it writes a temporary file
// next to path and renames it into place.
func (s *Set) Checkpoint(path string) error {
	tmp := path + ".tmp"
	if err := s.SaveFile(tmp); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("dedup: checkpoint %s: %w", path, err)
		}
		return nil
	}()
	return nil
}

// LoadFile reads a set written by SaveFile.
func LoadFile(path string, limit int) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := New(limit)
	br := bufio.NewReaderSize(f, 64<<10)
	var buf [8]byte
	for {
		if _, err := io.ReadFull(br, buf[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return s, nil
			}
			return nil, err
		}
		s.seen[binary.LittleEndian.Uint64(buf[:])] = struct{}{}
	}
}
