package blobstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
)

// Store is a content-addressed blob store rooted at a directory.
type Store struct {
	root string

	mu    sync.RWMutex
	refs  map[Digest]int
	sizes map[Digest]int64

	// stripes serialise writers of the same digest without a global lock.
	stripes [64]sync.Mutex
}

// Open prepares the directory layout under root and returns a Store.
func Open(root string) (*Store, error) {
	for _, dir := range []string{
		filepath.Join(root, "blobs", "sha256"),
		filepath.Join(root, "tmp"),
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("blobstore: %w", err)
		}
	}
	return &Store{
		root:  root,
		refs:  make(map[Digest]int),
		sizes: make(map[Digest]int64),
	}, nil
}

// Root returns the directory the store lives in.
func (s *Store) Root() string { return s.root }

func (s *Store) blobPath(d Digest) string {
	h := d.Hex()
	return filepath.Join(s.root, "blobs", "sha256", h[:2], h)
}

// Put streams r into the store and returns its digest. The blob becomes
// visible only after its content has been synced and renamed into place.
func (s *Store) Put(r io.Reader) (d Digest, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return "", err
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
		return "", fmt.Errorf("blobstore: write %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	d = Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
	if err = s.install(tmp.Name(), d); err != nil {
		return "", err
	}
	s.mu.Lock()
	s.sizes[d] = n
	s.mu.Unlock()
	return d, nil
}

// install renames a synced temp file to the blob path of d and syncs the
// parent directory so that the rename itself survives a crash.
func (s *Store) install(tmpPath string, d Digest) error {
	final := s.blobPath(d)
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(final); err == nil {
		// Same content is already present: content addressing makes this a no-op.
		return os.Remove(tmpPath)
	}
	if err := os.Rename(tmpPath, final); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that renames into it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// PutManifest stores small JSON metadata next to a blob (the .info and .mod
// files of a module version). Manifests are tiny, so they are written in one
// call and renamed over the previous version.
func (s *Store) PutManifest(d Digest, data []byte) error {
	final := s.blobPath(d) + ".json"
	tmp := final + ".tmp"
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(data); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}

// OpenBlob opens the blob d for reading.
func (s *Store) OpenBlob(d Digest) (*os.File, error) {
	f, err := os.Open(s.blobPath(d))
	if err != nil {
		return nil, fmt.Errorf("blobstore: %s: %w", d, err)
	}
	return f, nil
}

// Size returns the length of blob d, from the cache or from disk.
func (s *Store) Size(d Digest) (int64, error) {
	s.mu.RLock()
	n, ok := s.sizes[d]
	s.mu.RUnlock()
	if ok {
		return n, nil
	}
	fi, err := os.Stat(s.blobPath(d))
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.sizes[d] = fi.Size()
	s.mu.Unlock()
	return fi.Size(), nil
}

// ReadAll returns the content of d, refusing blobs larger than limit.
func (s *Store) ReadAll(d Digest, limit int64) ([]byte, error) {
	f, err := s.OpenBlob(d)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("blobstore: %s exceeds %d bytes", d, limit)
	}
	return b, nil
}

// Verify re-hashes blob d and reports whether its content still matches.
func (s *Store) Verify(d Digest) error {
	f, err := os.Open(s.blobPath(d))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != string(d) {
		return fmt.Errorf("blobstore: %s: content hashes to %s", d, got)
	}
	return nil
}

// AddRef records one more index entry pointing at d.
func (s *Store) AddRef(d Digest) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs[d]++
	return s.refs[d]
}

// Release drops one reference to d and returns how many remain. When the last
// reference goes, the bookkeeping for d is dropped; the file itself is left
// for the collector, which honours a grace period.
func (s *Store) Release(d Digest) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.refs[d] - 1
	if n > 0 {
		s.refs[d] = n
		return n
	}
	s.forget(d) // HAZ lock-reentry-under-defer
	return 0
}

// ReleaseAll drops one reference from each digest, e.g. when a module is
// deleted with all its versions. Digests without references are skipped.
func (s *Store) ReleaseAll(ds []Digest) (released int) {
	for _, d := range ds {
		s.mu.Lock() // HAZ lock-leaked-on-return
		if s.refs[d] == 0 {
			continue
		}
		s.refs[d]--
		s.mu.Unlock()
		released++
	}
	return released
}

// forget drops all in-memory bookkeeping for d.
func (s *Store) forget(d Digest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refs, d)
	delete(s.sizes, d)
}

// Delete removes blob d and its manifest from disk.
func (s *Store) Delete(d Digest) error {
	if err := os.Remove(s.blobPath(d)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Remove(s.blobPath(d) + ".json"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.forget(d)
	return nil
}

// RefSnapshot returns a copy of the reference counts.
func (s *Store) RefSnapshot() map[Digest]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.refs)
}

// lockDigest locks the stripe of d and returns the matching unlock.
func (s *Store) lockDigest(d Digest) (unlock func()) {
	h := fnv.New32a()
	io.WriteString(h, string(d))
	m := &s.stripes[h.Sum32()%uint32(len(s.stripes))]
	m.Lock()
	return m.Unlock
}

// Import copies a blob of known digest from a file, e.g. when bootstrapping
// a mirror from a backup. The content is re-hashed before it is installed.
func (s *Store) Import(d Digest, src string) (err error) {
	defer s.lockDigest(d)()

	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	tmpPath := filepath.Join(s.root, "tmp", "import-"+d.Hex())
	out, err := os.Create(tmpPath)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmpPath)
		}
	}()

	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(out, h), in); err != nil {
		return err
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != string(d) {
		return fmt.Errorf("blobstore: import %s: content hashes to %s", d, got)
	}
	if err = out.Sync(); err != nil {
		return err
	}
	if err = out.Close(); err != nil {
		return err
	}
	return s.install(tmpPath, d)
}
