package doc

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Store is the in-memory set of open documents and their merge loops.
type Store struct {
	mu       sync.RWMutex
	ctx      context.Context
	docs     map[string]*Document
	mergers  map[string]*Merger
	changes  chan Change
	undoSize int
	depth    int
}

// NewStore returns an empty store. Merge loops started by the store run
// until ctx is done or the store is drained.
func NewStore(ctx context.Context, undoSize, queueDepth int) *Store {
	return &Store{
		ctx:      ctx,
		docs:     make(map[string]*Document),
		mergers:  make(map[string]*Merger),
		changes:  make(chan Change, 256),
		undoSize: undoSize,
		depth:    queueDepth,
	}
}

// Changes is the feed of every accepted change, for fan-out to clients.
func (s *Store) Changes() <-chan Change { return s.changes }

// Get returns the document with the given id.
func (s *Store) Get(id string) (*Document, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.docs[id]
	return d, ok
}

// Create adds a new document.
func (s *Store) Create(id, title, text string) (*Document, error) {
	if id == "" || strings.ContainsAny(id, `/\`) {
		return nil, fmt.Errorf("doc: invalid id %q", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.docs[id]; ok {
		return nil, fmt.Errorf("%w: %s", ErrExists, id)
	}
	d := New(id, title, text, s.undoSize)
	s.docs[id] = d
	return d, nil
}

// Restore installs a document rebuilt from snap unless a newer copy is open.
func (s *Store) Restore(snap Snapshot) (*Document, error) {
	d := FromSnapshot(snap, s.undoSize)
	s.mu.Lock()
	if cur, ok := s.docs[snap.ID]; ok && cur.Version() >= snap.Version {
		s.mu.Unlock()
		return cur, fmt.Errorf("%w: %s is at version %d", ErrExists, snap.ID, cur.Version())
	}
	s.docs[snap.ID] = d
	s.mu.Unlock()
	return d, nil
}

// Delete removes a document and stops its merge loop.
func (s *Store) Delete(id string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.docs[id]; !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	m := s.mergers[id]
	delete(s.docs, id)
	delete(s.mergers, id)
	s.mu.Unlock()
	if m != nil {
		m.Stop()
	}
	return nil
}

// List returns summaries of every document, sorted by id.
func (s *Store) List() []Summary {
	s.mu.RLock()
	docs := make([]*Document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.RUnlock()

	out := make([]Summary, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.Summary())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len returns the number of open documents.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	return len(s.docs)
}

// Documents returns the open documents in no particular order.
func (s *Store) Documents() []*Document {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	return out
}

// SnapshotAll returns a snapshot of every document taken while all of them
// are read-locked, so the set is mutually consistent.
func (s *Store) SnapshotAll() []Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Snapshot, 0, len(s.docs))
	for _, d := range s.docs {
		d.mu.RLock()
		defer d.mu.RUnlock() // HAZ defer-in-loop
		out = append(out, d.snapshotLocked())
	}
	return out
}

// Merger returns the merge loop of id, starting it on first use.
func (s *Store) Merger(id string) (*Merger, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.mergers[id]; ok {
		return m, nil
	}
	d, ok := s.docs[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	m := NewMerger(d, s.changes, s.depth)
	s.mergers[id] = m
	go m.Run(s.ctx)
	return m, nil
}

// StartAll starts a merge loop for every document that has none yet.
func (s *Store) StartAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	started := 0
	for id, d := range s.docs {
		if _, ok := s.mergers[id]; ok {
			continue
		}
		m := NewMerger(d, s.changes, s.depth)
		s.mergers[id] = m
		go m.Run(s.ctx)
		started++
	}
	return started
}

// Drain stops every merge loop and waits up to timeout for each to exit. It
// returns the ids of documents whose loops did not stop in time.
func (s *Store) Drain(timeout time.Duration) []string {
	s.mu.Lock()
	mergers := s.mergers
	s.mergers = make(map[string]*Merger)
	s.mu.Unlock()

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		stuck []string
	)
	for id, m := range mergers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			select {
			case <-m.Done():
			case <-time.After(timeout):
				mu.Lock()
				stuck = append(stuck, id)
				mu.Unlock()
			}
		}()
		m.Stop()
	}
	wg.Wait()
	sort.Strings(stuck)
	return stuck
}

// Stream sends the summary of every document on out, then closes it.
func (s *Store) Stream(ctx context.Context, out chan<- Summary) {
	defer close(out)
	for _, sum := range s.List() {
		select {
		case out <- sum:
		case <-ctx.Done():
			return
		}
	}
}

// Rekey renames a document.
func (s *Store) Rekey(oldID, newID string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	d, ok := s.docs[oldID]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrNotFound, oldID)
	}
	if _, taken := s.docs[newID]; taken {
		return fmt.Errorf("%w: %s", ErrExists, newID)
	}
	delete(s.docs, oldID)
	d.ID = newID
	s.docs[newID] = d
	if m, ok := s.mergers[oldID]; ok {
		delete(s.mergers, oldID)
		s.mergers[newID] = m
	}
	s.mu.Unlock()
	return nil
}

// CloseAll stops every merge loop and forgets every document. It returns
// the ids of loops that did not stop within timeout.
func (s *Store) CloseAll(timeout time.Duration) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	stuck := s.Drain(timeout) // HAZ lock-reentry-under-defer
	s.docs = make(map[string]*Document)
	return stuck
}
