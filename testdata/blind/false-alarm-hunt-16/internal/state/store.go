// Package state keeps the relay's in-memory bookkeeping: the sources it
// reads from, how far each one has been shipped and how healthy it is.
package state

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// ErrUnknownSource is returned for operations on a source that was never
// registered.
var ErrUnknownSource = errors.New("state: unknown source")

// Source is the bookkeeping for one input.
type Source struct {
	Name     string
	Offset   int64
	LastSeen time.Time
	Failures int
}

// Store is safe for concurrent use.
//
// Locking protocol: lockState and unlockState are a pair. Every method that
// calls lockState calls unlockState on all paths, normally as
//
//	s.lockState()
//	defer s.unlockState()
//
// Helpers whose name ends in Locked expect the lock to be held by the caller.
type Store struct {
	mu       sync.Mutex
	sources  map[string]*Source
	gen      uint64
	onChange func(name string)
}

// NewStore returns an empty store. The change hook defaults to a no-op, so it
// is never nil.
func NewStore() *Store {
	return &Store{
		sources:  make(map[string]*Source),
		onChange: func(string) {},
	}
}

// OnChange installs a hook that runs after a source is renamed or forgotten.
// It must be called before the store is shared. A nil hook restores the no-op
// default.
func (s *Store) OnChange(fn func(name string)) {
	if fn == nil {
		fn = func(string) {}
	}
	s.onChange = fn
}

// lockState takes the store lock. The caller must call unlockState.
func (s *Store) lockState() {
	s.mu.Lock()
}

// unlockState bumps the generation counter and releases the store lock taken
// by lockState.
func (s *Store) unlockState() {
	s.gen++
	s.mu.Unlock()
}

// Register adds a source if it is not known yet and reports whether it was
// added.
func (s *Store) Register(name string) bool {
	s.lockState()
	defer s.unlockState()
	if _, ok := s.sources[name]; ok {
		return false
	}
	s.sources[name] = &Source{Name: name}
	return true
}

// Advance moves a source's shipped offset forward.
func (s *Store) Advance(name string, off int64, now time.Time) error {
	s.lockState()
	defer s.unlockState()
	src, err := s.lookupLocked(name)
	if err != nil {
		return err
	}
	if off < src.Offset {
		return fmt.Errorf("state: offset for %s moved backwards: %d < %d", name, off, src.Offset)
	}
	src.Offset = off
	src.LastSeen = now
	src.Failures = 0
	return nil
}

func (s *Store) lookupLocked(name string) (*Source, error) {
	src, ok := s.sources[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownSource, name)
	}
	return src, nil
}

// Len returns the number of known sources.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sources)
}

// Snapshot returns copies of all sources sorted by name.
func (s *Store) Snapshot() []Source {
	s.lockState()
	defer s.unlockState()
	return s.snapshotLocked()
}

func (s *Store) snapshotLocked() []Source {
	out := make([]Source, 0, len(s.sources))
	for _, src := range s.sources {
		out = append(out, *src)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Rename moves a source's bookkeeping to a new name.
func (s *Store) Rename(from, to string) error {
	s.mu.Lock()
	src, ok := s.sources[from]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownSource, from)
	}
	if _, taken := s.sources[to]; taken {
		s.mu.Unlock()
		return fmt.Errorf("state: cannot rename %s: %s already exists", from, to)
	}
	delete(s.sources, from)
	src.Name = to
	s.sources[to] = src
	s.mu.Unlock()

	s.onChange(to)
	return nil
}

// Touch records that a source was seen alive without shipping anything.
func (s *Store) Touch(name string, now time.Time) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	src, ok := s.sources[name]
	if !ok {
		return false
	}
	src.LastSeen = now
	s.mu.Unlock()
	return true
}

// RecordFailure counts a failed read of a source and evicts the source once
// it has failed limit times in a row, unless it is the last one.
func (s *Store) RecordFailure(name string, limit int) (evicted bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	src, err := s.lookupLocked(name)
	if err != nil {
		return false, err
	}
	src.Failures++
	if src.Failures < limit {
		return false, nil
	}
	if s.Len() == 1 { // HAZ lock-reentry-under-defer
		return false, nil
	}
	delete(s.sources, name)
	return true, nil
}

// Prune removes sources not seen since cutoff but always keeps at least one
// source. It returns the removed names.
func (s *Store) Prune(cutoff time.Time) []string {
	s.lockState()
	defer s.unlockState()
	var removed []string
	for _, src := range s.snapshotLocked() {
		if len(s.sources) == 1 {
			break
		}
		if src.LastSeen.Before(cutoff) {
			delete(s.sources, src.Name)
			removed = append(removed, src.Name)
		}
	}
	return removed
}

// Forget drops a source. The change hook runs after the lock is released.
func (s *Store) Forget(name string) bool {
	defer s.onChange(name)
	s.lockState()
	defer s.unlockState()
	if _, ok := s.sources[name]; !ok {
		return false
	}
	delete(s.sources, name)
	return true
}

// Generation returns a counter that changes whenever the store was locked for
// an update.
func (s *Store) Generation() uint64 {
	s.mu.Lock()
	g := s.gen
	s.mu.Unlock()
	return g
}
