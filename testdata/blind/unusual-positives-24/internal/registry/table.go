// Package registry keeps service records in locked tables and shards.
package registry

import (
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
)

// Mode selects how Put and Patch treat an existing row.
type Mode int

const (
	// ModeInsert refuses to overwrite an existing row.
	ModeInsert Mode = iota
	// ModeReplace writes the row whether or not it exists.
	ModeReplace
)

var (
	// ErrExists is returned when an insert finds the key taken.
	ErrExists = errors.New("registry: key exists")
	// ErrNotFound is returned when a key is missing.
	ErrNotFound = errors.New("registry: key not found")
)

// Row is one registered record.
type Row struct {
	ID      string
	Fields  map[string]string
	Version int
	Moving  bool
}

// Table is a locked map of rows with a change log.
type Table struct {
	mu   sync.Mutex
	rows map[string]Row
	log  []string

	// onChange records a change in the log; it takes the table lock.
	onChange func(key, what string)
}

// NewTable returns an empty table.
func NewTable() *Table {
	t := &Table{rows: make(map[string]Row)}
	t.onChange = func(key, what string) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.log = append(t.log, what+" "+key)
	}
	return t
}

// Put stores row under key. Insert takes the lock and checks for a duplicate,
// then falls through to the shared write path, which releases the lock.
func (t *Table) Put(key string, row Row, mode Mode) error {
	if row.Fields == nil {
		row.Fields = make(map[string]string)
	}
	switch mode {
	case ModeInsert:
		t.mu.Lock() // HAZ lock-leaked-on-return
		if _, ok := t.rows[key]; ok {
			return fmt.Errorf("%w: %s", ErrExists, key)
		}
		fallthrough
	case ModeReplace:
		if mode == ModeReplace {
			t.mu.Lock()
		}
		row.ID = key
		row.Version = t.rows[key].Version + 1
		t.rows[key] = row
		t.log = append(t.log, "put "+key)
		t.mu.Unlock()
		return nil
	default:
		return fmt.Errorf("registry: unknown mode %d", mode)
	}
}

// Patch merges fields into the row under key, creating it first for
// ModeInsert. Every path out of the switch releases the lock.
func (t *Table) Patch(key string, fields map[string]string, mode Mode) error {
	switch mode {
	case ModeInsert:
		t.mu.Lock()
		if _, ok := t.rows[key]; ok {
			t.mu.Unlock()
			return fmt.Errorf("%w: %s", ErrExists, key)
		}
		t.rows[key] = Row{ID: key, Fields: make(map[string]string)}
		fallthrough
	case ModeReplace:
		if mode == ModeReplace {
			t.mu.Lock()
		}
		row, ok := t.rows[key]
		if !ok {
			t.mu.Unlock()
			return fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		if row.Fields == nil {
			row.Fields = make(map[string]string)
		}
		for k, v := range fields {
			row.Fields[k] = v
		}
		row.Version++
		t.rows[key] = row
		t.log = append(t.log, "patch "+key)
		t.mu.Unlock()
		return nil
	}
	return fmt.Errorf("registry: unknown mode %d", mode)
}

// Get returns the row under key.
func (t *Table) Get(key string) (Row, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.rows[key]
	return r, ok
}

// Delete removes the row under key and records the change.
func (t *Table) Delete(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.rows[key]; !ok {
		return false
	}
	delete(t.rows, key)
	t.onChange(key, "delete") // HAZ lock-reentry-under-defer
	return true
}

// Rename moves the row under from to to and records the change after the
// lock is released.
func (t *Table) Rename(from, to string) error {
	t.mu.Lock()
	row, ok := t.rows[from]
	if !ok {
		t.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrNotFound, from)
	}
	delete(t.rows, from)
	row.ID = to
	t.rows[to] = row
	t.mu.Unlock()
	t.onChange(from, "rename")
	return nil
}

// shard is one lock domain of a Sharded registry.
type shard struct {
	mu   sync.Mutex
	rows map[string]Row
}

func (sh *shard) load(k string, out map[string]Row) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	r, ok := sh.rows[k]
	if ok {
		out[k] = r
	}
	return ok
}

// Sharded spreads rows over independently locked shards.
type Sharded struct {
	shards []*shard
}

// NewSharded returns a registry with n shards.
func NewSharded(n int) *Sharded {
	s := &Sharded{shards: make([]*shard, n)}
	for i := range s.shards {
		s.shards[i] = &shard{rows: make(map[string]Row)}
	}
	return s
}

func (s *Sharded) shardFor(key string) *shard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return s.shards[int(h.Sum32())%len(s.shards)]
}

// Store writes row into its shard.
func (s *Sharded) Store(row Row) {
	sh := s.shardFor(row.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.rows[row.ID] = row
}

// Expire deletes keys from every shard. A shard that holds a row in the
// middle of a migration is skipped for this sweep.
func (s *Sharded) Expire(keys []string) int {
	removed := 0
shards:
	for _, sh := range s.shards {
		sh.mu.Lock() // HAZ lock-leaked-on-return
		for _, k := range keys {
			row, ok := sh.rows[k]
			if !ok {
				continue
			}
			if row.Moving {
				continue shards
			}
			delete(sh.rows, k)
			removed++
		}
		sh.mu.Unlock()
	}
	return removed
}

// CountNewer counts rows newer than minVersion, skipping migrating shards.
func (s *Sharded) CountNewer(minVersion int) int {
	total := 0
shards:
	for _, sh := range s.shards {
		sh.mu.Lock()
		n := 0
		for _, r := range sh.rows {
			if r.Moving {
				sh.mu.Unlock()
				continue shards
			}
			if r.Version > minVersion {
				n++
			}
		}
		sh.mu.Unlock()
		total += n
	}
	return total
}

// Snapshot copies the rows for keys, looking in each shard in turn.
func (s *Sharded) Snapshot(keys []string) map[string]Row {
	out := make(map[string]Row, len(keys))
keys:
	for _, k := range keys {
		for _, sh := range s.shards {
			if sh.load(k, out) {
				continue keys
			}
		}
	}
	return out
}
