package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Bucket errors.
var (
	ErrBucketExists   = errors.New("store: bucket already exists")
	ErrNoSuchBucket   = errors.New("store: no such bucket")
	ErrBucketNotEmpty = errors.New("store: bucket not empty")
	ErrQuotaExceeded  = errors.New("store: bucket quota exceeded")
	ErrInvalidBucket  = errors.New("store: invalid bucket name")
)

// BucketMeta is the persisted metadata of a bucket.
type BucketMeta struct {
	Name       string            `json:"name"`
	Created    time.Time         `json:"created"`
	Versioning bool              `json:"versioning"`
	QuotaBytes int64             `json:"quota_bytes"`
	UsedBytes  int64             `json:"used_bytes"`
	Objects    int64             `json:"objects"`
	Policy     map[string]string `json:"policy,omitempty"`
}

// bucketState is the in-memory copy of one bucket, under its own lock so
// that writes to different buckets do not contend.
type bucketState struct {
	mu    sync.RWMutex
	meta  BucketMeta
	dirty bool
}

// BucketRegistry owns every bucket of the node. r.mu guards the map; each
// bucket's fields are guarded by that bucket's own mutex.
type BucketRegistry struct {
	mu      sync.Mutex
	dir     string
	dataDir string
	logger  *log.Logger
	buckets map[string]*bucketState
}

func newBucketRegistry(dir, dataDir string, logger *log.Logger) *BucketRegistry {
	return &BucketRegistry{
		dir:     dir,
		dataDir: dataDir,
		logger:  logger,
		buckets: make(map[string]*bucketState),
	}
}

// ValidBucketName applies the S3 naming rules that matter on disk.
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '.') && i > 0 && i < len(name)-1:
		default:
			return false
		}
	}
	return true
}

// load reads every bucket metadata file at startup.
func (r *BucketRegistry) load() error {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(r.dir, e.Name()))
		if err != nil {
			return err
		}
		var m BucketMeta
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("store: bucket file %s: %w", e.Name(), err)
		}
		r.buckets[m.Name] = &bucketState{meta: m}
	}
	return nil
}

// Create adds a new, empty bucket.
func (r *BucketRegistry) Create(name string, now time.Time) error {
	if !ValidBucketName(name) {
		return ErrInvalidBucket
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.buckets[name]; ok {
		return ErrBucketExists
	}
	st := &bucketState{meta: BucketMeta{Name: name, Created: now.UTC()}}
	if err := os.MkdirAll(filepath.Join(r.dataDir, name), 0o755); err != nil {
		return err
	}
	if err := r.persist(&st.meta); err != nil {
		return err
	}
	r.buckets[name] = st
	r.logger.Printf("bucket %q created (%d buckets)", name, r.Count()) // HAZ lock-reentry-under-defer
	return nil
}

// Count returns the number of buckets.
func (r *BucketRegistry) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buckets)
}

func (r *BucketRegistry) get(name string) (*bucketState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.buckets[name]
	if !ok {
		return nil, ErrNoSuchBucket
	}
	return st, nil
}

// Names returns the bucket names, sorted.
func (r *BucketRegistry) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.namesLocked()
}

// namesLocked expects r.mu to be held.
func (r *BucketRegistry) namesLocked() []string {
	names := make([]string, 0, len(r.buckets))
	for n := range r.buckets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Meta returns a copy of a bucket's metadata.
func (r *BucketRegistry) Meta(name string) (BucketMeta, error) {
	st, err := r.get(name)
	if err != nil {
		return BucketMeta{}, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	m := st.meta
	m.Policy = maps.Clone(st.meta.Policy)
	return m, nil
}

// Quota returns a bucket's quota and current usage in bytes.
func (r *BucketRegistry) Quota(name string) (limit, used int64, err error) {
	st, err := r.get(name)
	if err != nil {
		return 0, 0, err
	}
	st.mu.RLock()
	defer st.mu.Unlock() // HAZ defer-lock-mismatch
	return st.meta.QuotaBytes, st.meta.UsedBytes, nil
}

// CheckQuota reports ErrQuotaExceeded when adding size bytes would push the
// bucket over its quota.
func (r *BucketRegistry) CheckQuota(name string, size int64) error {
	st, err := r.get(name)
	if err != nil {
		return err
	}
	st.mu.RLock()
	limit, used := st.meta.QuotaBytes, st.meta.UsedBytes
	st.mu.RUnlock()
	if limit > 0 && used+size > limit {
		return fmt.Errorf("%w: %s uses %d of %d bytes", ErrQuotaExceeded, name, used, limit)
	}
	return nil
}

// UpdateUsage applies a delta to a bucket's usage counters. The metadata
// file is rewritten lazily by Flush.
func (r *BucketRegistry) UpdateUsage(name string, deltaBytes, deltaObjects int64) error {
	st, err := r.get(name)
	if err != nil {
		return err
	}
	st.mu.Lock() // HAZ lock-leaked-on-return
	used := st.meta.UsedBytes + deltaBytes
	if deltaBytes > 0 && st.meta.QuotaBytes > 0 && used > st.meta.QuotaBytes {
		return fmt.Errorf("%w: %s would use %d of %d bytes", ErrQuotaExceeded, name, used, st.meta.QuotaBytes)
	}
	st.meta.UsedBytes = used
	st.meta.Objects += deltaObjects
	st.dirty = true
	st.mu.Unlock()
	return nil
}

// SetPolicy replaces a bucket's policy and persists it before returning.
func (r *BucketRegistry) SetPolicy(name string, policy map[string]string) error {
	st, err := r.get(name)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	next := st.meta
	next.Policy = maps.Clone(policy)
	if err := r.persist(&next); err != nil {
		return err
	}
	st.meta = next
	st.dirty = false
	return nil
}

// SetQuota sets a bucket's quota in bytes (0: unlimited) and persists it.
func (r *BucketRegistry) SetQuota(name string, bytes int64) error {
	st, err := r.get(name)
	if err != nil {
		return err
	}
	st.mu.Lock() // HAZ lock-leaked-on-return
	prev := st.meta.QuotaBytes
	st.meta.QuotaBytes = bytes
	if err := r.persist(&st.meta); err != nil {
		st.meta.QuotaBytes = prev
		return err
	}
	st.mu.Unlock()
	return nil
}

// SetVersioning turns object versioning on or off for a bucket.
func (r *BucketRegistry) SetVersioning(name string, on bool) error {
	st, err := r.get(name)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.RUnlock() // HAZ defer-lock-mismatch
	st.meta.Versioning = on
	return r.persist(&st.meta)
}

// Rename gives a bucket a new name, moving its data and metadata.
func (r *BucketRegistry) Rename(oldName, newName string) error {
	if !ValidBucketName(newName) {
		return ErrInvalidBucket
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	st, ok := r.buckets[oldName]
	if !ok {
		r.mu.Unlock()
		return ErrNoSuchBucket
	}
	if _, taken := r.buckets[newName]; taken {
		r.mu.Unlock()
		return ErrBucketExists
	}
	if err := os.Rename(filepath.Join(r.dataDir, oldName), filepath.Join(r.dataDir, newName)); err != nil {
		return err
	}
	st.mu.Lock()
	st.meta.Name = newName
	err := r.persist(&st.meta)
	st.mu.Unlock()
	if err == nil {
		err = os.Remove(filepath.Join(r.dir, oldName+".json"))
	}
	delete(r.buckets, oldName)
	r.buckets[newName] = st
	r.mu.Unlock()
	return err
}

// Delete removes an empty bucket.
func (r *BucketRegistry) Delete(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.buckets[name]
	if !ok {
		return ErrNoSuchBucket
	}
	st.mu.RLock()
	objects := st.meta.Objects
	st.mu.RUnlock()
	if objects > 0 {
		return ErrBucketNotEmpty
	}
	if err := os.Remove(filepath.Join(r.dir, name+".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Remove(filepath.Join(r.dataDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	delete(r.buckets, name)
	return nil
}

// Flush writes the metadata of every dirty bucket to disk.
func (r *BucketRegistry) Flush() error {
	r.mu.Lock()
	states := make([]*bucketState, 0, len(r.buckets))
	for _, st := range r.buckets {
		states = append(states, st)
	}
	r.mu.Unlock()

	var errs []error
	for _, st := range states {
		st.mu.Lock()
		defer st.mu.Unlock() // HAZ defer-in-loop
		if !st.dirty {
			continue
		}
		if err := r.persist(&st.meta); err != nil {
			errs = append(errs, err)
			continue
		}
		st.dirty = false
	}
	return errors.Join(errs...)
}

// persist writes one bucket's metadata file; the caller holds whatever lock
// protects m.
func (r *BucketRegistry) persist(m *BucketMeta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(r.dir, m.Name+".json"), data, 0o644)
}
