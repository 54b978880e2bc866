package store

import (
	"errors"
	"fmt"
	"maps"

	"example.com/fah18/recordio"
	"example.com/fah18/trace"
)

// An Op is one modification in a batch.
type Op struct {
	Key    string
	Value  []byte
	Delete bool
}

// applyLocked applies op. s.mu must be held.
func (s *Store) applyLocked(op Op) error {
	if op.Key == "" {
		return errors.New("store: empty key")
	}
	if op.Delete {
		delete(s.data, op.Key)
	} else {
		s.data[op.Key] = op.Value
	}
	s.version++
	return nil
}

// snapshotLocked returns a copy of the contents for rollback.
func (s *Store) snapshotLocked() (map[string][]byte, uint64) {
	return maps.Clone(s.data), s.version
}

// restoreLocked rolls back to a snapshot taken by snapshotLocked.
func (s *Store) restoreLocked(data map[string][]byte, version uint64) {
	s.data = data
	s.version = version
}

// Apply applies batch atomically: if any op fails, none is applied.
func (s *Store) Apply(batch []Op) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ver := s.snapshotLocked()
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			s.restoreLocked(data, ver)
			err = fmt.Errorf("store: batch of %d rolled back: %w", len(batch), err)
		}
	}()
	for _, op := range batch {
		if err = s.applyLocked(op); err != nil {
			return err
		}
	}
	return nil
}

// Replace swaps in recs as the whole contents, atomically.
func (s *Store) Replace(recs []recordio.Record) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ver := s.snapshotLocked()
	defer func() {
		if err != nil {
			s.restoreLocked(data, ver)
			err = fmt.Errorf("store: replace rolled back: %w", err)
		}
	}()
	clear(s.data)
	for _, r := range recs {
		if err := s.applyLocked(Op{Key: r.Key, Value: r.Value}); err != nil {
			return err
		}
	}
	return nil
}

// Import adds recs to the store and logs the counters afterwards.
func (s *Store) Import(recs []recordio.Record) error {
	defer s.stats.Snapshot().Log(s.opts.Logf, "import") // HAZ defer-call-chain
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for _, r := range recs {
		s.setLocked(r.Key, r.Value)
		s.stats.imports.Add(1)
	}
	return nil
}

// Export writes the contents to path as a record file.
func (s *Store) Export(path string) error {
	defer trace.Region("store.Export")()
	defer func() { s.stats.Snapshot().Log(s.opts.Logf, "export") }()
	s.mu.RLock()
	recs := s.recordsLocked()
	s.mu.RUnlock()
	return recordio.WriteFile(path, recs)
}
