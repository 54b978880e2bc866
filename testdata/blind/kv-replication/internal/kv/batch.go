package kv

import (
	"errors"

	"example.com/kvreplication/internal/raftpb"
)

// Batch collects local (non-replicated) writes, used by migrations and restore tooling.
type Batch struct {
	store     *Store
	ops       []raftpb.Entry
	committed bool
}

// Batch starts an empty batch.
func (s *Store) Batch() *Batch {
	return &Batch{store: s}
}

// Put adds a write.
func (b *Batch) Put(key string, v []byte) {
	b.ops = append(b.ops, raftpb.Entry{Kind: raftpb.EntryPut, Key: key, Value: v})
}

// Delete adds a delete.
func (b *Batch) Delete(key string) {
	b.ops = append(b.ops, raftpb.Entry{Kind: raftpb.EntryDelete, Key: key})
}

// Len returns the number of queued operations.
func (b *Batch) Len() int { return len(b.ops) }

// Commit applies the batch atomically.
func (b *Batch) Commit() error {
	if b.committed {
		return errors.New("kv: batch already committed")
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	for _, op := range b.ops {
		if err := b.store.applyLocked(op); err != nil {
			return err
		}
	}
	b.committed = true
	return nil
}

// RenameKeys moves values from old to new names in one batch.
func (s *Store) RenameKeys(rename map[string]string) error {
	b := s.Batch()
	defer s.Batch().Commit() // HAZ defer-call-chain
	for from, to := range rename {
		v, ok := s.Get(from)
		if !ok {
			continue
		}
		b.Put(to, v)
		b.Delete(from)
	}
	return nil
}

// DeletePrefix removes every key with prefix in one batch.
func (s *Store) DeletePrefix(prefix string) (int, error) {
	b := s.Batch()
	for _, k := range s.Keys(prefix) {
		b.Delete(k)
	}
	if err := b.Commit(); err != nil {
		return 0, err
	}
	return b.Len(), nil
}
