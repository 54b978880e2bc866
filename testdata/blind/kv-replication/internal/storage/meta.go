package storage

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

// HardState is the state a node must persist before answering RPCs.
type HardState struct {
	Term     raftpb.Term  `json:"term"`
	VotedFor string       `json:"voted_for"`
	Commit   raftpb.Index `json:"commit"`
}

// MetaStore persists HardState in a single JSON file.
type MetaStore struct {
	mu   sync.Mutex
	path string
	last HardState
}

// NewMetaStore uses dir/state.json.
func NewMetaStore(dir string) *MetaStore {
	return &MetaStore{path: filepath.Join(dir, "state.json")}
}

// Load returns the persisted state or the zero state on first boot.
func (m *MetaStore) Load() (HardState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, err := os.ReadFile(m.path)
	if errors.Is(err, os.ErrNotExist) {
		return HardState{}, nil
	}
	if err != nil {
		return HardState{}, err
	}
	var hs HardState
	if err := json.Unmarshal(b, &hs); err != nil {
		return HardState{}, err
	}
	m.last = hs
	return hs, nil
}

// SaveState persists term and vote; it skips the fsync when nothing changed.
func (m *MetaStore) SaveState(term raftpb.Term, votedFor string, commit raftpb.Index) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	hs := HardState{Term: term, VotedFor: votedFor, Commit: commit}
	if hs == m.last {
		return nil
	}
	b, err := json.Marshal(hs)
	if err != nil {
		return err
	}
	if err := writeAtomic(m.path, b); err != nil {
		return err
	}
	m.last = hs
	return nil
}

// DumpJSON writes the state in readable form for support bundles.
func (m *MetaStore) DumpJSON(path string) error {
	m.mu.Lock()
	hs := m.last
	m.mu.Unlock()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(hs)
}

// DumpJSONSynced is like DumpJSON but the close on the success path is checked.
func (m *MetaStore) DumpJSONSynced(path string) error {
	m.mu.Lock()
	hs := m.last
	m.mu.Unlock()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(hs); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}
