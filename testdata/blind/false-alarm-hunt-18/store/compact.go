package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"example.com/fah18/recordio"
)

// Counters count store operations.
type Counters struct {
	reads, writes, imports atomic.Int64
}

// A CounterSnapshot is the value of the counters at one instant.
type CounterSnapshot struct {
	At                     time.Time
	Reads, Writes, Imports int64
}

// Snapshot reads the counters.
func (c *Counters) Snapshot() CounterSnapshot {
	return CounterSnapshot{
		At:      time.Now(),
		Reads:   c.reads.Load(),
		Writes:  c.writes.Load(),
		Imports: c.imports.Load(),
	}
}

// Log writes the snapshot with logf.
func (cs CounterSnapshot) Log(logf func(string, ...any), what string) {
	logf("store: after %s: reads=%d writes=%d imports=%d", what, cs.Reads, cs.Writes, cs.Imports)
}

// lockDir takes an exclusive lock file in dir and returns the function
// that releases it.
func lockDir(dir string) (release func(), err error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: %s is locked: %w", dir, err)
	}
	_, err = fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// Compact rewrites the snapshot as a compressed file.
func (s *Store) Compact() error {
	var release func()
	if s.opts.UseFileLock {
		r, err := lockDir(s.opts.Dir)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	s.mu.RLock()
	recs := s.recordsLocked()
	s.mu.RUnlock()
	return recordio.WriteGzip(filepath.Join(s.opts.Dir, "snapshot.rec.gz"), recs)
}

// Checkpoint writes a copy of the snapshot to path.
func (s *Store) Checkpoint(path string) error {
	release := func() {}
	if s.opts.UseFileLock {
		r, err := lockDir(s.opts.Dir)
		if err != nil {
			return err
		}
		release = r
	}
	defer release()
	s.mu.RLock()
	recs := s.recordsLocked()
	s.mu.RUnlock()
	return recordio.WriteFileAtomic(path, recs)
}
