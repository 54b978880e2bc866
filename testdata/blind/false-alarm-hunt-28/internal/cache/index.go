package cache

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/fah28/internal/fsutil"
)

// Meta describes one stored object.
type Meta struct {
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
	Origin  string    `json:"origin,omitempty"`
}

// Index is the read-mostly metadata table of the object store.
type Index struct {
	mu    sync.RWMutex
	byKey map[string]Meta // guarded by mu
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byKey: make(map[string]Meta)}
}

// Lookup returns the metadata of key.
func (ix *Index) Lookup(key string) (Meta, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m, ok := ix.byKey[key]
	return m, ok
}

// Set records the metadata of key.
func (ix *Index) Set(key string, m Meta) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.byKey[key] = m
}

// Keys returns every key in sorted order.
func (ix *Index) Keys() []string {
	ix.mu.RLock()
	defer ix.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]string, 0, len(ix.byKey))
	for k := range ix.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Snapshot returns a copy of the whole table.
func (ix *Index) Snapshot() map[string]Meta {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make(map[string]Meta, len(ix.byKey))
	for k, m := range ix.byKey {
		out[k] = m
	}
	return out
}

// Merge copies the entries of other that ix does not have yet. other is
// snapshotted (and its lock released) before ix is locked, so two indexes
// merging into each other cannot deadlock.
func (ix *Index) Merge(other *Index) int {
	if other == ix {
		return 0
	}
	snap := other.Snapshot()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	added := 0
	for k, m := range snap {
		if _, ok := ix.byKey[k]; !ok {
			ix.byKey[k] = m
			added++
		}
	}
	return added
}

// LoadIndex reads an index saved by Save. A missing file is an empty index.
func LoadIndex(path string) (*Index, error) {
	ix := NewIndex()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ix, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&ix.byKey); err != nil {
		return nil, err
	}
	return ix, nil
}

// Save writes the index atomically to path.
func (ix *Index) Save(path string) error {
	data, err := json.Marshal(ix.Snapshot())
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, data, 0o644)
}
