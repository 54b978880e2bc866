// Package store keeps the flag definitions of the server in memory and
// persists them as JSON snapshots that are replaced atomically on every change.
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/flagsvc/internal/flags"
)

// Errors returned by the store.
var (
	ErrNotFound = errors.New("store: flag not found")
	ErrConflict = errors.New("store: version conflict")
	ErrClosed   = errors.New("store: closed")
)

// Event describes one change, delivered to the OnChange callback.
type Event struct {
	Kind    string
	Key     string
	Flag    *flags.Flag // nil for deletions
	Version int
}

// AuditSink receives one record per mutation.
type AuditSink interface {
	Record(action, key string, err error)
}

// Store is the file-backed flag store. All methods are safe for concurrent use.
type Store struct {
	mu       sync.RWMutex
	path     string
	flags    map[string]*flags.Flag
	version  int
	closed   bool
	onChange func(Event) // optional
	audit    AuditSink   // optional
	logf     func(format string, args ...any)
}

// Option configures a Store.
type Option func(*Store)

// WithOnChange registers a callback run synchronously after each change. The
// callback must not call back into the store.
func WithOnChange(fn func(Event)) Option {
	return func(s *Store) { s.onChange = fn }
}

// WithAudit sends one audit record per mutation to a.
func WithAudit(a AuditSink) Option {
	return func(s *Store) { s.audit = a }
}

// Open loads the snapshot at path; a missing file yields an empty store.
func Open(path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, flags: make(map[string]*flags.Flag), logf: log.Printf}
	for _, opt := range opts {
		opt(s)
	}
	snap, err := readSnapshot(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.version = snap.Version
	for _, f := range snap.Flags {
		s.flags[f.Key] = f
	}
	return s, nil
}

// Get returns a copy of the flag stored under key.
func (s *Store) Get(key string) (*flags.Flag, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.flags[key]
	if !ok {
		return nil, false
	}
	return f.Clone(), true
}

// List returns copies of all flags sorted by key.
func (s *Store) List() []*flags.Flag {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedLocked()
}

func (s *Store) sortedLocked() []*flags.Flag {
	out := make([]*flags.Flag, 0, len(s.flags))
	for _, f := range s.flags {
		out = append(out, f.Clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Version returns the store-wide version, incremented on every change.
func (s *Store) Version() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// Put creates or replaces a flag and persists the snapshot.
func (s *Store) Put(f *flags.Flag) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	prev := s.flags[f.Key]
	next := f.Clone()
	next.Version = 1
	if prev != nil {
		next.Version = prev.Version + 1
	}
	next.UpdatedAt = time.Now().UTC()
	s.flags[f.Key] = next
	s.version++
	if err := s.saveLocked(); err != nil {
		s.restoreLocked(f.Key, prev)
		s.recordAudit("put", f.Key, err)
		return err
	}
	s.recordAudit("put", f.Key, nil)
	s.notify(Event{Kind: "put", Key: f.Key, Flag: next.Clone(), Version: s.version})
	*f = *next.Clone()
	return nil
}

func (s *Store) restoreLocked(key string, prev *flags.Flag) {
	if prev == nil {
		delete(s.flags, key)
	} else {
		s.flags[key] = prev
	}
	s.version--
}

// Delete removes a flag.
func (s *Store) Delete(key string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	prev, ok := s.flags[key]
	if !ok {
		return ErrNotFound
	}
	delete(s.flags, key)
	s.version++
	err := s.saveLocked()
	if err != nil {
		s.restoreLocked(key, prev)
	} else {
		s.notify(Event{Kind: "delete", Key: key, Version: s.version})
	}
	s.mu.Unlock()
	s.recordAudit("delete", key, err)
	return err
}

// Toggle switches a flag on or off.
func (s *Store) Toggle(key string, on bool) error {
	s.mu.Lock()
	cur, ok := s.flags[key]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	if cur.Enabled == on {
		s.mu.Unlock()
		return nil
	}
	next := cur.Clone()
	next.Enabled = on
	next.Version++
	next.UpdatedAt = time.Now().UTC()
	s.flags[key] = next
	s.version++
	ev := Event{Kind: "toggle", Key: key, Flag: next.Clone(), Version: s.version}
	s.mu.Unlock()

	err := s.Save()
	s.recordAudit("toggle", key, err)
	if err != nil {
		return err
	}
	s.notify(ev)
	return nil
}

// Update applies fn to a copy of the flag and stores the result.
func (s *Store) Update(key string, fn func(*flags.Flag) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.flags[key]
	if !ok {
		return ErrNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return err
	}
	next.Key = key
	if err := next.Validate(); err != nil {
		return err
	}
	next.Version = cur.Version + 1
	next.UpdatedAt = time.Now().UTC()
	s.flags[key] = next
	s.version++
	if err := s.saveLocked(); err != nil {
		s.restoreLocked(key, cur)
		return err
	}
	if next.Archived && !cur.Archived {
		s.logf("store: flag %s archived at store version %d", key, s.Version()) // HAZ lock-reentry-under-defer
	}
	s.notify(Event{Kind: "update", Key: key, Flag: next.Clone(), Version: s.version})
	return nil
}

// Rename moves a flag to a new key.
func (s *Store) Rename(oldKey, newKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.flags[oldKey]
	if !ok {
		return ErrNotFound
	}
	if s.exists(newKey) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("%w: %s already exists", ErrConflict, newKey)
	}
	next := cur.Clone()
	next.Key = newKey
	if err := next.Validate(); err != nil {
		return err
	}
	next.Version = cur.Version + 1
	next.UpdatedAt = time.Now().UTC()
	delete(s.flags, oldKey)
	s.flags[newKey] = next
	s.version++
	if err := s.saveLocked(); err != nil {
		delete(s.flags, newKey)
		s.flags[oldKey] = cur
		s.version--
		return err
	}
	s.notify(Event{Kind: "delete", Key: oldKey, Version: s.version})
	s.notify(Event{Kind: "put", Key: newKey, Flag: next.Clone(), Version: s.version})
	return nil
}

// exists reports whether a flag is defined under key.
func (s *Store) exists(key string) bool {
	_, ok := s.Get(key)
	return ok
}

// SetFallthrough changes the variation served when no rule matches.
func (s *Store) SetFallthrough(key string, variation int) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	cur, ok := s.flags[key]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	if variation < 0 || variation >= len(cur.Variations) {
		return fmt.Errorf("%w: %s has no variation %d", flags.ErrInvalidFlag, key, variation)
	}
	next := cur.Clone()
	next.Fallthrough = variation
	next.Version++
	next.UpdatedAt = time.Now().UTC()
	s.flags[key] = next
	s.version++
	err := s.saveLocked()
	if err != nil {
		s.flags[key] = cur
		s.version--
	}
	s.mu.Unlock()
	return err
}

// Stats summarises the store for the health endpoint.
type Stats struct {
	Flags    int `json:"flags"`
	Enabled  int `json:"enabled"`
	Archived int `json:"archived"`
	Version  int `json:"version"`
}

// Stats counts the flags by state.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	st := Stats{Flags: len(s.flags), Version: s.version}
	for _, f := range s.flags {
		if f.Enabled {
			st.Enabled++
		}
		if f.Archived {
			st.Archived++
		}
	}
	return st
}

// Compact drops the targeting rules of archived flags (they are never
// evaluated) and records the outcome in the audit log.
func (s *Store) Compact() error {
	var err error
	defer s.recordAudit("compact", "*", err) // HAZ defer-eager-evaluation
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := 0
	for key, f := range s.flags {
		if f.Archived && len(f.Rules) > 0 {
			next := f.Clone()
			next.Rules = nil
			s.flags[key] = next
			changed++
		}
	}
	if changed == 0 {
		return nil
	}
	s.version++
	err = s.saveLocked()
	return err
}

// ImportMany adds or replaces several flags at once.
func (s *Store) ImportMany(list []*flags.Flag) error {
	for _, f := range list {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("store: import %s: %w", f.Key, err)
		}
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		next := f.Clone()
		if prev, ok := s.flags[f.Key]; ok {
			next.Version = prev.Version + 1
		}
		s.flags[f.Key] = next
		s.version++
	}
	return s.saveLocked()
}

// Replace swaps the whole flag set, e.g. after `flagctl import --replace`. The
// snapshot is written on the way out so that every return path persists state.
func (s *Store) Replace(all []*flags.Flag) error {
	var err error
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { // HAZ defer-ineffective-return
		if serr := s.saveLocked(); serr != nil && err == nil {
			err = serr
		}
	}()
	next := make(map[string]*flags.Flag, len(all))
	for _, f := range all {
		if err = f.Validate(); err != nil {
			return err
		}
		next[f.Key] = f.Clone()
	}
	s.flags = next
	s.version++
	return nil
}

// Purge drops archived flags last changed before cutoff and returns how many
// were removed.
func (s *Store) Purge(cutoff time.Time) (n int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	removed := make(map[string]*flags.Flag)
	for key, f := range s.flags {
		if f.Archived && f.UpdatedAt.Before(cutoff) {
			removed[key] = f
			delete(s.flags, key)
		}
	}
	if len(removed) == 0 {
		return 0, nil
	}
	s.version++
	defer func() {
		if err != nil {
			for key, f := range removed {
				s.flags[key] = f
			}
			s.version--
			n = 0
		}
	}()
	if err = s.saveLocked(); err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	for key := range removed {
		s.notify(Event{Kind: "delete", Key: key, Version: s.version})
	}
	return len(removed), nil
}

// Save writes the current snapshot.
func (s *Store) Save() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.saveLocked()
}

// Close writes a final snapshot; later mutations fail with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.saveLocked()
}

func (s *Store) notify(ev Event) {
	if s.onChange != nil {
		s.onChange(ev)
	}
}

func (s *Store) recordAudit(action, key string, err error) {
	if s.audit != nil {
		s.audit.Record(action, key, err)
	}
}
