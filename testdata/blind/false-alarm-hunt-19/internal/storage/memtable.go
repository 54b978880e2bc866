package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// memtable is the in-memory write buffer. The active memtable is guarded by
// Engine.mu; once sealed it is never modified again.
type memtable struct {
	seq  int
	data map[string][]byte
}

func newMemtable(seq int) *memtable {
	return &memtable{seq: seq, data: make(map[string][]byte)}
}

// sorted returns the memtable's entries in key order.
func (m *memtable) sorted() []Entry {
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]Entry, 0, len(keys))
	for _, k := range keys {
		out = append(out, Entry{Key: []byte(k), Value: m.data[k]})
	}
	return out
}

// flushTo writes a sealed memtable as an L0 table in dir.
func (m *memtable) flushTo(ctx context.Context, dir string) (TableInfo, error) {
	if err := ctx.Err(); err != nil {
		return TableInfo{}, err
	}
	name := fmt.Sprintf("L0-%06d.sst", m.seq)
	path := filepath.Join(dir, name)
	if err := WriteTable(path, m.sorted()); err != nil {
		return TableInfo{}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return TableInfo{}, err
	}
	return TableInfo{Name: name, Level: 0, Size: st.Size()}, nil
}
