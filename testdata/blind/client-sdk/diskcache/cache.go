// Package diskcache is a small on-disk response cache with expiry.
package diskcache

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrMiss is returned when a key is absent or expired.
var ErrMiss = errors.New("diskcache: miss")

const headerSize = 8

type entry struct {
	expires time.Time
	size    int64
}

// Usage describes how much the cache holds.
type Usage struct {
	Entries int
	Bytes   int64
}

// Publish hands u to fn if fn is set.
func (u Usage) Publish(fn func(Usage)) {
	if fn != nil {
		fn(u)
	}
}

// Cache stores values as files under Dir.
type Cache struct {
	Dir string
	// OnUsage may be nil.
	OnUsage func(Usage)
	// Now may be nil.
	Now func() time.Time

	mu    sync.RWMutex
	index map[string]entry

	keyLocks [16]sync.Mutex
}

// Open returns a cache rooted at dir, creating it if needed.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Cache{Dir: dir, index: make(map[string]entry)}, nil
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:]))
}

// lockKey returns the per-key mutex, already locked; the caller unlocks it.
func (c *Cache) lockKey(key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &c.keyLocks[h.Sum32()%uint32(len(c.keyLocks))]
	m.Lock() // ok: handed to the caller, which defers the unlock
	return m
}

func encodeHeader(expires time.Time) []byte {
	var hdr [headerSize]byte
	binary.BigEndian.PutUint64(hdr[:], uint64(expires.UnixNano()))
	return hdr[:]
}

func readHeader(r io.Reader) (time.Time, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(hdr[:]))), nil
}

// Get returns the value for key if present and not expired.
func (c *Cache) Get(key string) ([]byte, error) {
	m := c.lockKey(key)
	defer m.Unlock()
	f, err := os.Open(c.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrMiss
	}
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	br := bufio.NewReader(f)
	exp, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	if c.now().After(exp) {
		return nil, ErrMiss
	}
	return io.ReadAll(br)
}

// Put stores data under key for ttl.
func (c *Cache) Put(key string, data []byte, ttl time.Duration) error {
	m := c.lockKey(key)
	defer m.Unlock()
	exp := c.now().Add(ttl)
	f, err := os.Create(c.path(key))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(encodeHeader(exp)); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	c.remember(key, entry{expires: exp, size: int64(len(data))})
	return nil
}

func writeEntry(path string, exp time.Time, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error joined into the named result
	bw := bufio.NewWriter(f)
	if _, err := bw.Write(encodeHeader(exp)); err != nil {
		return err
	}
	if _, err := bw.Write(data); err != nil {
		return err
	}
	return bw.Flush()
}

// PutAtomic stores data through a temporary file and a rename.
func (c *Cache) PutAtomic(key string, data []byte, ttl time.Duration) error {
	m := c.lockKey(key)
	defer m.Unlock()
	exp := c.now().Add(ttl)
	final := c.path(key)
	tmp := final + ".tmp"
	if err := writeEntry(tmp, exp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	c.remember(key, entry{expires: exp, size: int64(len(data))})
	return nil
}

func (c *Cache) remember(key string, e entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.index[key] = e
}

// Expires returns when key expires, if it is indexed.
func (c *Cache) Expires(key string) (time.Time, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.index[key]
	return e.expires, ok
}

// Indexed reports whether key is in the in-memory index.
func (c *Cache) Indexed(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.index[key]
	return ok
}

// Usage sums the indexed entries.
func (c *Cache) Usage() Usage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var u Usage
	for _, e := range c.index {
		u.Entries++
		u.Bytes += e.size
	}
	return u
}

// Invalidate removes keys from the index and from disk.
func (c *Cache) Invalidate(keys ...string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		delete(c.index, k)
		os.Remove(c.path(k))
	}
}

// InvalidateAll removes keys under a single critical section.
func (c *Cache) InvalidateAll(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		delete(c.index, k)
		os.Remove(c.path(k))
	}
}

// expiredFiles lists cache files whose header says they have expired.
func (c *Cache) expiredFiles() ([]string, error) {
	ents, err := os.ReadDir(c.Dir)
	if err != nil {
		return nil, err
	}
	now := c.now()
	var out []string
	for _, de := range ents {
		if de.IsDir() {
			continue
		}
		p := filepath.Join(c.Dir, de.Name())
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		exp, err := readHeader(f)
		if err != nil || now.After(exp) {
			out = append(out, p)
		}
	}
	return out, nil
}

func expiredAt(p string, now time.Time) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	exp, err := readHeader(f)
	return err != nil || now.After(exp)
}

// expiredFilesScoped is expiredFiles with each file closed in a helper.
func (c *Cache) expiredFilesScoped() ([]string, error) {
	ents, err := os.ReadDir(c.Dir)
	if err != nil {
		return nil, err
	}
	now := c.now()
	var out []string
	for _, de := range ents {
		if p := filepath.Join(c.Dir, de.Name()); !de.IsDir() && expiredAt(p, now) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Sweep deletes expired files and reports the usage after the sweep.
func (c *Cache) Sweep() (int, error) {
	defer c.Usage().Publish(c.OnUsage) // HAZ defer-call-chain
	paths, err := c.expiredFiles()
	if err != nil {
		return 0, err
	}
	return c.removeAndForget(paths), nil
}

// SweepScoped is Sweep with usage computed at exit.
func (c *Cache) SweepScoped() (n int, err error) {
	defer func() { c.Usage().Publish(c.OnUsage) }() // ok: evaluated when the closure runs
	paths, err := c.expiredFilesScoped()
	if err != nil {
		return 0, err
	}
	return c.removeAndForget(paths), nil
}

func (c *Cache) removeAndForget(paths []string) int {
	gone := make(map[string]bool, len(paths))
	for _, p := range paths {
		if err := os.Remove(p); err == nil || errors.Is(err, os.ErrNotExist) {
			gone[p] = true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.index {
		if gone[c.path(k)] {
			delete(c.index, k)
		}
	}
	return len(gone)
}

func (c *Cache) snapshotIndex() map[string]entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]entry, len(c.index))
	for k, e := range c.index {
		out[k] = e
	}
	return out
}

// ExportIndex writes the in-memory index as "key<TAB>expiry<TAB>size" lines.
func (c *Cache) ExportIndex(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for k, e := range c.snapshotIndex() {
		if _, err := fmt.Fprintf(bw, "%s\t%d\t%d\n", k, e.expires.Unix(), e.size); err != nil {
			return err
		}
	}
	return nil
}

// ExportIndexOrdered flushes the buffer before closing the file.
func (c *Cache) ExportIndexOrdered(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for k, e := range c.snapshotIndex() {
		if _, err := fmt.Fprintf(bw, "%s\t%d\t%d\n", k, e.expires.Unix(), e.size); err != nil {
			return err
		}
	}
	return bw.Flush() // ok: checked flush, then the deferred close
}
