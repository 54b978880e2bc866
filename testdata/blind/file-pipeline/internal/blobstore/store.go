// Package blobstore is a content-addressed store of immutable blobs, named
// by the hex SHA-256 of their content and sharded by the first two digits.
package blobstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"example.com/filepipeline/internal/fsutil"
	"example.com/filepipeline/internal/walk"
)

var (
	// ErrNotFound is returned for a digest the store does not hold.
	ErrNotFound = errors.New("blobstore: blob not found")
	// ErrPinned is returned when deleting a blob that is in use.
	ErrPinned = errors.New("blobstore: blob is pinned")
	// ErrBadDigest is returned for a malformed digest.
	ErrBadDigest = errors.New("blobstore: malformed digest")
)

// Store is safe for concurrent use.
type Store struct {
	root string
	log  *log.Logger

	mu    sync.RWMutex
	index map[string]int64 // digest -> size
	pins  map[string]int
	dirty bool
}

// Open opens (creating if needed) the store rooted at root and loads its
// index, rebuilding it from the objects if it is missing.
func Open(root string, logger *log.Logger) (*Store, error) {
	for _, d := range []string{"objects", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return nil, err
		}
	}
	if logger == nil {
		logger = log.Default()
	}
	s := &Store{root: root, log: logger, pins: make(map[string]int)}
	idx, err := loadIndex(filepath.Join(root, "index.json"))
	switch {
	case err == nil:
		s.index = idx
	case errors.Is(err, fs.ErrNotExist):
		s.index = s.scanObjects()
		s.dirty = true
	default:
		return nil, err
	}
	return s, nil
}

func loadIndex(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx := make(map[string]int64)
	if err := json.NewDecoder(f).Decode(&idx); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}

func (s *Store) scanObjects() map[string]int64 {
	idx := make(map[string]int64)
	for path, info := range walk.Files(filepath.Join(s.root, "objects")) {
		d := filepath.Base(filepath.Dir(path)) + filepath.Base(path)
		if ValidDigest(d) {
			idx[d] = info.Size()
		}
	}
	return idx
}

// ValidDigest reports whether d is 64 lower-case hex digits.
func ValidDigest(d string) bool {
	if len(d) != 2*sha256.Size {
		return false
	}
	for _, c := range d {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (s *Store) pathFor(digest string) string {
	return filepath.Join(s.root, "objects", digest[:2], digest[2:])
}

// Has reports whether the store holds digest.
func (s *Store) Has(digest string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.index[digest]
	return ok
}

// Stat returns the size of a blob.
func (s *Store) Stat(digest string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	n, ok := s.index[digest]
	return n, ok
}

// Size returns the size of a blob or ErrNotFound.
func (s *Store) Size(digest string) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.index[digest]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, digest)
	}
	return n, nil
}

// Put stores data and returns its digest.
func (s *Store) Put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Has(digest) { // HAZ lock-reentry-under-defer
		return digest, nil
	}
	p := s.pathFor(digest)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	if err := fsutil.WriteFileAtomic(p, data, 0o444); err != nil {
		return "", err
	}
	s.index[digest] = int64(len(data))
	s.dirty = true
	return digest, nil
}

// PutReader streams r into the store and returns the digest of what it read.
func (s *Store) PutReader(r io.Reader) (digest string, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	digest = hex.EncodeToString(h.Sum(nil))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.index[digest]; ok {
		return digest, os.Remove(tmp.Name())
	}
	if err = s.commitLocked(tmp.Name(), digest); err != nil {
		return "", err
	}
	s.index[digest] = n
	s.dirty = true
	return digest, nil
}

// commitLocked moves a finished temp file to its object path. s.mu is held.
func (s *Store) commitLocked(tmpPath, digest string) error {
	p := s.pathFor(digest)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.Chmod(tmpPath, 0o444); err != nil {
		return err
	}
	if err := os.Rename(tmpPath, p); err != nil {
		return err
	}
	return fsutil.SyncDir(filepath.Dir(p))
}

// PutFile stores the content of the file at path.
func (s *Store) PutFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return s.PutReader(f)
}

// Get returns the content of a blob.
func (s *Store) Get(digest string) ([]byte, error) {
	if !ValidDigest(digest) {
		return nil, ErrBadDigest
	}
	s.mu.RLock()
	_, ok := s.index[digest]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, digest)
	}
	return os.ReadFile(s.pathFor(digest))
}

// Open opens a blob for reading. The caller closes it.
func (s *Store) Open(digest string) (*os.File, error) {
	if !s.Has(digest) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, digest)
	}
	return os.Open(s.pathFor(digest))
}

// Delete removes an unpinned blob.
func (s *Store) Delete(digest string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.pins[digest] > 0 {
		return fmt.Errorf("%w: %s", ErrPinned, digest)
	}
	if err := os.Remove(s.pathFor(digest)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	delete(s.index, digest)
	s.dirty = true
	s.mu.Unlock()
	return nil
}

// Forget drops a blob from the index without touching the object file; the
// next scan will find it again.
func (s *Store) Forget(digest string) bool {
	s.mu.Lock()
	if _, ok := s.index[digest]; !ok {
		s.mu.Unlock()
		return false
	}
	delete(s.index, digest)
	s.dirty = true
	s.mu.Unlock()
	return true
}

// pin protects digest from deletion until the returned func is called.
func (s *Store) pin(digest string) func() {
	s.mu.Lock()
	s.pins[digest]++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.pins[digest]--
		if s.pins[digest] <= 0 {
			delete(s.pins, digest)
		}
	}
}

// Export copies a blob to w, keeping it pinned while it is read.
func (s *Store) Export(digest string, w io.Writer) (int64, error) {
	defer s.pin(digest) // HAZ defer-func-result-not-called
	f, err := s.Open(digest)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// CopyTo copies a blob into another store, keeping it pinned here meanwhile.
func (s *Store) CopyTo(dst *Store, digest string) error {
	defer s.pin(digest)()
	f, err := s.Open(digest)
	if err != nil {
		return err
	}
	defer f.Close()
	got, err := dst.PutReader(f)
	if err != nil {
		return err
	}
	if got != digest {
		return fmt.Errorf("blobstore: copy of %s arrived as %s", digest, got)
	}
	return nil
}

// All yields the digests and sizes in digest order. It iterates over a
// snapshot, so the loop body may call back into the store.
func (s *Store) All() iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		s.mu.RLock()
		snap := maps.Clone(s.index)
		s.mu.RUnlock()
		for _, d := range slices.Sorted(maps.Keys(snap)) {
			if !yield(d, snap[d]) {
				return
			}
		}
	}
}

// Import moves every file under dir into the store, under the import lock
// so that two importers never work on the same directory.
func (s *Store) Import(dir string) error {
	var err error
	lk, err := fsutil.AcquireLock(filepath.Join(dir, ".import.lock"))
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.Release(); rerr != nil {
			err = rerr
		}
	}()
	for path := range walk.Paths(walk.Files(dir)) {
		if path == lk.Path() {
			continue
		}
		if _, err = s.PutFile(path); err != nil {
			return fmt.Errorf("import %s: %w", path, err)
		}
		if err = os.Remove(path); err != nil {
			return err
		}
	}
	return err
}

// saveIndexLocked persists the index if it changed. s.mu is held.
func (s *Store) saveIndexLocked() error {
	if !s.dirty {
		return nil
	}
	err := fsutil.WriteWith(filepath.Join(s.root, "index.json"), 0o644, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(s.index)
	})
	if err == nil {
		s.dirty = false
	}
	return err
}

// Flush persists the index.
func (s *Store) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveIndexLocked()
}

// Close persists the index. The store must not be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.saveIndexLocked(); err != nil {
		return fmt.Errorf("blobstore: save index: %w", err)
	}
	s.index = nil
	return nil
}
