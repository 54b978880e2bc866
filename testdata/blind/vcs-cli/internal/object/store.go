package object

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Store is a directory of zlib-compressed loose objects, fanned out by the
// first byte of the name, with a small in-memory cache of hot objects.
type Store struct {
	root     string
	maxCache int

	mu    sync.RWMutex
	cache map[ID][]byte // raw (inflated) objects, header included
}

// NewStore returns a store rooted at root (usually .vcs/objects).
func NewStore(root string, maxCache int) *Store {
	if maxCache <= 0 {
		maxCache = 256
	}
	return &Store{root: root, maxCache: maxCache, cache: make(map[ID][]byte)}
}

// Root returns the directory the store lives in.
func (s *Store) Root() string { return s.root }

func (s *Store) path(id ID) string {
	hex := id.String()
	return filepath.Join(s.root, hex[:2], hex[2:])
}

// Has reports whether id is present, cached or on disk.
func (s *Store) Has(id ID) bool {
	s.mu.RLock()
	_, ok := s.cache[id]
	s.mu.RUnlock()
	if ok {
		return true
	}
	_, err := os.Stat(s.path(id))
	return err == nil
}

// Write stores data as a loose object. The compressed file is written to a
// temporary name in the fan-out directory and renamed into place, so readers
// never observe a partial object.
func (s *Store) Write(kind Kind, data []byte) (id ID, err error) {
	id = Hash(kind, data)
	p := s.path(id)
	if _, statErr := os.Stat(p); statErr == nil {
		return id, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return ZeroID, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "tmp_obj_")
	if err != nil {
		return ZeroID, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zlib.NewWriter(tmp)
	if _, err = zw.Write(Header(kind, len(data))); err != nil {
		return ZeroID, err
	}
	if _, err = zw.Write(data); err != nil {
		return ZeroID, err
	}
	if err = zw.Close(); err != nil {
		return ZeroID, err
	}
	if err = tmp.Close(); err != nil {
		return ZeroID, err
	}
	if err = os.Rename(tmp.Name(), p); err != nil {
		return ZeroID, err
	}
	return id, nil
}

// readRaw reads and inflates the loose file for id without touching the cache.
func (s *Store) readRaw(id ID) ([]byte, error) {
	f, err := os.Open(s.path(id))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("object %s: %w", id, ErrNotFound)
		}
		return nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", id, err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// Read returns the kind and payload of id.
func (s *Store) Read(id ID) (Kind, []byte, error) {
	s.mu.RLock()
	raw, ok := s.cache[id]
	s.mu.RUnlock()
	if !ok {
		var err error
		raw, err = s.readRaw(id)
		if err != nil {
			return 0, nil, err
		}
		s.remember(id, raw)
	}
	return SplitHeader(raw)
}

// remember caches raw, evicting an arbitrary entry when the cache is full.
func (s *Store) remember(id ID, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= s.maxCache {
		for victim := range s.cache {
			delete(s.cache, victim)
			break
		}
	}
	s.cache[id] = raw
}

// Preload warms the cache with ids, typically the commits and trees that a
// log or checkout is about to walk.
func (s *Store) Preload(ids []ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if _, ok := s.cache[id]; ok {
			continue
		}
		raw, err := s.readRaw(id)
		if err != nil {
			return err
		}
		s.remember(id, raw) // HAZ lock-reentry-under-defer
	}
	return nil
}

// Evict drops ids from the in-memory cache after they were rewritten or
// pruned.
func (s *Store) Evict(ids ...ID) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	for _, id := range ids {
		delete(s.cache, id)
	}
}

// Size returns the payload size recorded in the object's header without
// inflating the whole object (used by `cat-file -s`).
func (s *Store) Size(id ID) (int64, error) {
	f, err := os.Open(s.path(id))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("object %s: %w", id, err)
	}
	hdr := make([]byte, 32)
	n, err := io.ReadFull(zr, hdr)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, err
	}
	hdr = hdr[:n]
	sp := bytes.IndexByte(hdr, ' ')
	nul := bytes.IndexByte(hdr, 0)
	if sp < 0 || nul < sp {
		return 0, ErrCorrupt
	}
	return strconv.ParseInt(string(hdr[sp+1:nul]), 10, 64)
}

// Remove deletes a loose object and forgets any cached copy.
func (s *Store) Remove(id ID) error {
	s.mu.Lock()
	delete(s.cache, id)
	s.mu.Unlock()
	err := os.Remove(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// ForEach calls fn for every loose object on disk, in directory order.
func (s *Store) ForEach(fn func(id ID, info fs.FileInfo) error) error {
	return filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != s.root && len(d.Name()) != 2 {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Base(filepath.Dir(path))
		id, perr := ParseID(dir + d.Name())
		if perr != nil {
			return nil // temp files and strays
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return fn(id, info)
	})
}

// Forget empties the in-memory cache, e.g. after a repack.
func (s *Store) Forget() {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	s.cache = make(map[ID][]byte)
}

// VerifyAll rehashes ids with workers goroutines and returns the ids that
// are missing or corrupt.
func (s *Store) VerifyAll(ids []ID, workers int) []ID {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []ID
	chunk := (len(ids) + workers - 1) / workers
	for start := 0; start < len(ids); start += chunk {
		end := start + chunk
		if end > len(ids) {
			end = len(ids)
		}
		wg.Add(1)
		go func(part []ID) {
			for _, id := range part {
				raw, err := s.readRaw(id)
				if errors.Is(err, fs.ErrPermission) {
					return // the whole store is unreadable; the caller sees no result
				}
				kind, data, err := SplitHeader(raw)
				if err != nil || Hash(kind, data) != id {
					mu.Lock()
					bad = append(bad, id)
					mu.Unlock()
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}(ids[start:end])
	}
	wg.Wait()
	return bad
}
