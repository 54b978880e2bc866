package lease

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// ErrBusy is returned by GC while maintenance operations are active.
var ErrBusy = errors.New("lease: backend busy")

// Backend is where a cache keeps its blobs.
type Backend interface {
	Name() string
}

// DiskBackend keeps blobs in a directory. Maintenance of the directory is
// serialised by mu; active counts operations that GC must wait for.
type DiskBackend struct {
	dir    string
	mu     sync.Mutex
	active atomic.Int64
}

// MemBackend keeps blobs in memory and needs no maintenance lock.
type MemBackend struct {
	blobs map[string][]byte
}

// NewDiskBackend returns a backend rooted at dir.
func NewDiskBackend(dir string) *DiskBackend { return &DiskBackend{dir: dir} }

// NewMemBackend returns an empty in-memory backend.
func NewMemBackend() *MemBackend { return &MemBackend{blobs: make(map[string][]byte)} }

// Name implements Backend.
func (d *DiskBackend) Name() string { return "disk:" + d.dir }

// Name implements Backend.
func (m *MemBackend) Name() string { return "mem" }

// lock takes the maintenance lock and returns the function that releases it.
func (d *DiskBackend) lock() func() {
	d.mu.Lock()
	return d.mu.Unlock
}

// hold marks one maintenance operation as active and returns the function
// that ends it.
func (d *DiskBackend) hold() func() {
	d.active.Add(1)
	return func() { d.active.Add(-1) }
}

// GC removes the temporary files of the backend unless an operation is
// active.
func (d *DiskBackend) GC() error {
	if d.active.Load() > 0 {
		return ErrBusy
	}
	tmps, err := filepath.Glob(filepath.Join(d.dir, "*.tmp"))
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range tmps {
		errs = append(errs, os.Remove(p))
	}
	return errors.Join(errs...)
}

// Scrub re-reads every blob of the backend and reports unreadable ones.
func (d *DiskBackend) Scrub() ([]string, error) {
	defer d.hold() // HAZ defer-func-result-not-called
	return scrubDir(d.dir)
}

// ScrubSafe marks the scrub active for exactly its duration.
func (d *DiskBackend) ScrubSafe() ([]string, error) {
	defer d.hold()()
	return scrubDir(d.dir)
}

// Reindex rebuilds the directory index under the maintenance lock.
func (d *DiskBackend) Reindex() ([]string, error) {
	defer d.lock()()
	return scrubDir(d.dir)
}

func scrubDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		if _, err := os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			bad = append(bad, e.Name())
		}
	}
	return bad, nil
}

// Maintain runs task under the backend's maintenance lock, if it has one.
func Maintain(b Backend, task func() error) error {
	var release func()
	switch be := b.(type) {
	case *DiskBackend:
		release = be.lock()
	case *MemBackend:
		// in-memory backends are maintained in place
	}
	defer release() // HAZ defer-nil-func
	return task()
}

// MaintainSafe is Maintain with a no-op release for backends without a lock.
func MaintainSafe(b Backend, task func() error) error {
	release := func() {}
	switch be := b.(type) {
	case *DiskBackend:
		release = be.lock()
	case *MemBackend:
		// nothing to lock
	}
	defer release()
	return task()
}

// Compact rewrites the backend's journal, holding the disk lock when there is
// one.
func Compact(b Backend, rewrite func() error) error {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if d, ok := b.(*DiskBackend); ok {
		unlock = d.lock()
	}
	return rewrite()
}

// CompactSafe picks the unlock function before deferring it.
func CompactSafe(b Backend, rewrite func() error) error {
	unlock := func() {}
	if d, ok := b.(*DiskBackend); ok {
		unlock = d.lock()
	}
	defer unlock()
	return rewrite()
}
