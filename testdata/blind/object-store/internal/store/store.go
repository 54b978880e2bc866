// Package store is the on-disk object store of one node: buckets with their
// metadata, objects written atomically with content hashes, and multipart
// uploads assembled from part files.
//
// Layout under the data directory:
//
//	LOCK                       pid of the process that owns the directory
//	buckets/<bucket>.json      bucket metadata
//	data/<bucket>/<key>        object data (key path-escaped)
//	meta/<bucket>/<key>.json   object metadata sidecar
//	uploads/<id>/part-NNNNN    multipart part files
//	tmp/                       in-flight writes, swept by the GC
package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"example.com/objstore/internal/obs"
)

// Errors returned by the store.
var (
	ErrNotFound  = errors.New("store: object not found")
	ErrBadDigest = errors.New("store: content digest mismatch")
	ErrLocked    = errors.New("store: data directory is locked by another process")
)

// Store is one node's object store rooted at a data directory.
type Store struct {
	root     string
	lockFile string
	buckets  *BucketRegistry
	metrics  *obs.Registry
	logger   *log.Logger

	pins sync.Map // "bucket/key" -> *atomic.Int64

	upMu    sync.Mutex
	uploads map[string]*Upload
}

// Open prepares the directory layout under root and takes ownership of it
// through the LOCK file. Close releases it.
func Open(root string, metrics *obs.Registry, logger *log.Logger) (*Store, error) {
	for _, dir := range []string{"buckets", "data", "meta", "uploads", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			return nil, err
		}
	}
	lockPath := filepath.Join(root, "LOCK")
	if err := createLockFile(lockPath); err != nil {
		return nil, fmt.Errorf("open %s: %w", root, err)
	}
	s := &Store{
		root:     root,
		lockFile: lockPath,
		buckets:  newBucketRegistry(filepath.Join(root, "buckets"), filepath.Join(root, "data"), logger),
		metrics:  metrics,
		logger:   logger,
		uploads:  make(map[string]*Upload),
	}
	if err := s.buckets.load(); err != nil {
		os.Remove(lockPath)
		return nil, err
	}
	return s, nil
}

// createLockFile creates path exclusively and records our pid in it.
func createLockFile(path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return ErrLocked
	}
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintf(f, "%d\n", os.Getpid())
	return err
}

// Close flushes dirty bucket metadata and releases the data directory.
func (s *Store) Close() error {
	flushErr := s.buckets.Flush()
	return errors.Join(flushErr, os.Remove(s.lockFile))
}

// Root returns the data directory.
func (s *Store) Root() string { return s.root }

// Buckets returns the bucket registry.
func (s *Store) Buckets() *BucketRegistry { return s.buckets }

// TempDir is where in-flight writes live until they are renamed into place.
func (s *Store) TempDir() string { return filepath.Join(s.root, "tmp") }

// UploadsDir holds one directory per multipart upload.
func (s *Store) UploadsDir() string { return filepath.Join(s.root, "uploads") }

// ObjectPath is the data file of an object.
func (s *Store) ObjectPath(bucket, key string) string {
	return filepath.Join(s.root, "data", bucket, EncodeKey(key))
}

func (s *Store) metaPath(bucket, key string) string {
	return filepath.Join(s.root, "meta", bucket, EncodeKey(key)+".json")
}

// EncodeKey maps an object key to a single file name.
func EncodeKey(key string) string { return url.PathEscape(key) }

// DecodeKey reverses EncodeKey.
func DecodeKey(name string) (string, error) { return url.PathUnescape(name) }

// Pin protects an object from the garbage collector while it is being read
// or replicated. The returned function releases the pin; it is safe to call
// more than once. Use it as:
//
//	defer st.Pin(bucket, key)()
func (s *Store) Pin(bucket, key string) func() {
	v, _ := s.pins.LoadOrStore(bucket+"/"+key, new(atomic.Int64))
	n := v.(*atomic.Int64)
	n.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() { n.Add(-1) })
	}
}

// IsPinned reports whether any reader currently pins the object.
func (s *Store) IsPinned(bucket, key string) bool {
	v, ok := s.pins.Load(bucket + "/" + key)
	return ok && v.(*atomic.Int64).Load() > 0
}

// pinnedFile keeps its object pinned until it is closed.
type pinnedFile struct {
	*os.File
	unpin func()
}

func (p *pinnedFile) Close() error {
	err := p.File.Close()
	p.unpin()
	return err
}

// OpenReader opens an object for streaming to a peer. The object stays
// pinned until the returned reader is closed.
func (s *Store) OpenReader(bucket, key string) (io.ReadCloser, ObjectInfo, error) {
	unpin := s.Pin(bucket, key)
	f, info, err := s.OpenObject(bucket, key)
	if err != nil {
		unpin()
		return nil, ObjectInfo{}, err
	}
	return &pinnedFile{File: f, unpin: unpin}, info, nil
}

// DirLock is an exclusive lock file inside a bucket's data directory, held
// by the GC while it compacts that bucket.
type DirLock struct{ path string }

// LockBucketDir takes the compaction lock of bucket.
func (s *Store) LockBucketDir(bucket string) (*DirLock, error) {
	p := filepath.Join(s.root, "data", bucket, ".compact.lock")
	if err := createLockFile(p); err != nil {
		return nil, err
	}
	return &DirLock{path: p}, nil
}

// Release removes the lock file.
func (l *DirLock) Release() error { return os.Remove(l.path) }

// randomID returns 16 random bytes in hex.
func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("store: crypto/rand failed: %v", err))
	}
	return hex.EncodeToString(b[:])
}
