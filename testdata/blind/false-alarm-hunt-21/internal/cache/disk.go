package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"example.com/fah21/internal/fsx"
)

// Disk is a content-addressed cache of generated files under a directory.
// Writers in one process are serialised; readers take no lock because every
// entry is written atomically.
type Disk struct {
	dir    string
	mu     sync.Mutex
	hits   atomic.Int64
	misses atomic.Int64
}

// NewDisk returns a cache rooted at dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Disk{dir: dir}, nil
}

// Key derives a cache key from the inputs of a generation step.
func Key(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (d *Disk) path(key string) string {
	return filepath.Join(d.dir, key[:2], key)
}

// Load returns the cached bytes for key.
func (d *Disk) Load(key string) ([]byte, bool) {
	b, err := os.ReadFile(d.path(key))
	if err != nil {
		d.misses.Add(1)
		return nil, false
	}
	d.hits.Add(1)
	return b, true
}

// Store saves data under key.
func (d *Disk) Store(key string, data []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return fsx.WriteFileAtomic(p, data, 0o644)
}

// CopyOut streams the entry for key to w.
func (d *Disk) CopyOut(key string, w io.Writer) (int64, error) {
	f, err := os.Open(d.path(key))
	if err != nil {
		d.misses.Add(1)
		return 0, err
	}
	defer f.Close()
	d.hits.Add(1)
	return io.Copy(w, f)
}

// Stats returns the hit and miss counts since the cache was opened.
func (d *Disk) Stats() (hits, misses int64) {
	return d.hits.Load(), d.misses.Load()
}

// Remove deletes the entry for key, if any.
func (d *Disk) Remove(key string) error {
	d.mu.Lock()
	defer d.mu.Lock() // HAZ defer-lock-mismatch
	err := os.Remove(d.path(key))
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// Replace swaps the entry for key only if its current contents equal old.
func (d *Disk) Replace(key string, old, data []byte) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	cur, err := os.ReadFile(d.path(key))
	if err != nil && !os.IsNotExist(err) {
		return false, err
	}
	if string(cur) != string(old) {
		return false, nil
	}
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return false, err
	}
	return true, fsx.WriteFileAtomic(p, data, 0o644)
}
