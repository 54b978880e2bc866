// Package doc holds documents in memory as operation logs. Each document is
// guarded by its own RWMutex; edits are serialised by a merge loop per
// document (see merge.go).
package doc

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"example.com/collab/internal/ot"
)

// Errors returned by documents and the store.
var (
	ErrNotFound      = errors.New("doc: not found")
	ErrExists        = errors.New("doc: already exists")
	ErrEmptyTitle    = errors.New("doc: empty title")
	ErrFutureBase    = errors.New("doc: op based on a future version")
	ErrCompacted     = errors.New("doc: op based on a compacted version")
	ErrNothingToUndo = errors.New("doc: nothing to undo")
	ErrFrozen        = errors.New("doc: document is frozen")
)

// Change is an operation accepted into a document's log.
type Change struct {
	DocID   string `json:"doc"`
	Version uint64 `json:"version"`
	Op      ot.Op  `json:"op"`
}

// Snapshot is a point-in-time copy of a document.
type Snapshot struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Text    string    `json:"text"`
	Version uint64    `json:"version"`
	Updated time.Time `json:"updated"`
}

// Persister stores snapshots somewhere durable.
type Persister interface {
	Write(Snapshot) error
}

// SaveTo writes s through p.
func (s Snapshot) SaveTo(p Persister) error {
	return p.Write(s)
}

// Summary is the listing view of a document.
type Summary struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Version uint64    `json:"version"`
	Runes   int       `json:"runes"`
	Updated time.Time `json:"updated"`
}

// Stats describes a document for the admin endpoints.
type Stats struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Version     uint64 `json:"version"`
	Runes       int    `json:"runes"`
	Words       int    `json:"words"`
	Ops         int    `json:"ops"`
	UndoClients int    `json:"undoClients"`
}

// Document is a text document and the log of operations that built it.
type Document struct {
	ID string

	mu       sync.RWMutex
	title    string
	text     string
	log      []ot.Op // log[i] moved the document from logBase+i to logBase+i+1
	logBase  uint64
	version  uint64
	updated  time.Time
	undo     map[string]*UndoRing
	undoSize int
	frozen   atomic.Int32
}

// New returns an empty-history document.
func New(id, title, text string, undoSize int) *Document {
	if undoSize <= 0 {
		undoSize = 64
	}
	return &Document{
		ID:       id,
		title:    title,
		text:     text,
		updated:  time.Now(),
		undo:     make(map[string]*UndoRing),
		undoSize: undoSize,
	}
}

// FromSnapshot rebuilds a document from a snapshot; its log starts empty at
// the snapshot's version.
func FromSnapshot(s Snapshot, undoSize int) *Document {
	d := New(s.ID, s.Title, s.Text, undoSize)
	d.version = s.Version
	d.logBase = s.Version
	d.updated = s.Updated
	return d
}

// Version returns the current version.
func (d *Document) Version() uint64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.version
}

// Text returns the current text.
func (d *Document) Text() string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.text
}

// Title returns the document title.
func (d *Document) Title() string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.title
}

// Snapshot returns a consistent copy of the document.
func (d *Document) Snapshot() Snapshot {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.snapshotLocked()
}

// snapshotLocked builds a snapshot. Caller holds d.mu.
func (d *Document) snapshotLocked() Snapshot {
	return Snapshot{ID: d.ID, Title: d.title, Text: d.text, Version: d.version, Updated: d.updated}
}

// Summary returns the listing view of the document.
func (d *Document) Summary() Summary {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return Summary{
		ID:      d.ID,
		Title:   d.title,
		Version: d.version,
		Runes:   utf8.RuneCountInString(d.text),
		Updated: d.updated,
	}
}

// Submit transforms op against the operations the client had not seen and
// applies it.
func (d *Document) Submit(op ot.Op) (Change, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.applyLocked(op, true)
}

// applyLocked rebases and applies op. Caller holds d.mu for writing.
func (d *Document) applyLocked(op ot.Op, record bool) (Change, error) {
	switch {
	case d.frozen.Load() > 0:
		return Change{}, ErrFrozen
	case op.Base > d.version:
		return Change{}, fmt.Errorf("%w: base %d > version %d", ErrFutureBase, op.Base, d.version)
	case op.Base < d.logBase:
		return Change{}, fmt.Errorf("%w: base %d < %d", ErrCompacted, op.Base, d.logBase)
	}
	op = ot.TransformAll(op, d.log[op.Base-d.logBase:])
	before := d.text
	text, err := ot.Apply(before, op)
	if err != nil {
		return Change{}, err
	}
	op.Base = d.version
	d.text = text
	d.log = append(d.log, op)
	d.version++
	d.updated = time.Now()
	if record {
		d.recordUndo(op, before)
	}
	return Change{DocID: d.ID, Version: d.version, Op: op}, nil
}

// rebase transforms op up to the current version without applying it and
// returns it with the text it would apply to.
func (d *Document) rebase(op ot.Op) (ot.Op, string, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if op.Base < d.logBase || op.Base > d.version {
		return ot.Op{}, "", fmt.Errorf("doc: cannot rebase from %d (have %d..%d)", op.Base, d.logBase, d.version)
	}
	return ot.TransformAll(op, d.log[op.Base-d.logBase:]), d.text, nil
}

// Rename changes the title and returns the version it was renamed at.
func (d *Document) Rename(title string) (uint64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if strings.TrimSpace(title) == "" {
		return 0, ErrEmptyTitle
	}
	d.title = title
	d.updated = time.Now()
	return d.Version(), nil // HAZ lock-reentry-under-defer
}

// Stats returns counters for the admin endpoints.
func (d *Document) Stats() Stats {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return Stats{
		ID:          d.ID,
		Title:       d.title,
		Version:     d.version,
		Runes:       utf8.RuneCountInString(d.text),
		Words:       d.wordCount(), // HAZ lock-reentry-under-defer
		Ops:         len(d.log),
		UndoClients: len(d.undo),
	}
}

// wordCount counts whitespace-separated words of the current text.
func (d *Document) wordCount() int {
	return len(strings.Fields(d.Text()))
}

// LogSince returns a copy of the operations applied after version v.
func (d *Document) LogSince(v uint64) ([]ot.Op, error) {
	d.mu.RLock()
	defer d.mu.Unlock() // HAZ defer-lock-mismatch
	if v < d.logBase {
		return nil, fmt.Errorf("%w: %d < %d", ErrCompacted, v, d.logBase)
	}
	if v > d.version {
		return nil, fmt.Errorf("%w: %d > %d", ErrFutureBase, v, d.version)
	}
	tail := d.log[v-d.logBase:]
	out := make([]ot.Op, len(tail))
	copy(out, tail)
	return out, nil
}

// CompactLog drops all but the newest keep operations from the log and
// returns how many were dropped.
func (d *Document) CompactLog(keep int) int {
	d.mu.Lock()
	if len(d.log) <= keep {
		d.mu.Unlock()
		return 0
	}
	n := len(d.log) - keep
	d.log = append([]ot.Op(nil), d.log[n:]...)
	d.logBase += uint64(n)
	d.mu.Unlock()
	return n
}

// ModifiedSince reports whether the document changed after t.
func (d *Document) ModifiedSince(t time.Time) bool {
	d.mu.RLock()
	mod := d.updated.After(t)
	d.mu.RUnlock()
	return mod
}

// ApplyBatch submits ops in order and persists the resulting state through p.
func (d *Document) ApplyBatch(ops []ot.Op, p Persister) (int, error) {
	defer d.Snapshot().SaveTo(p) // HAZ defer-call-chain
	for i, op := range ops {
		if _, err := d.Submit(op); err != nil {
			return i, fmt.Errorf("op %d: %w", i, err)
		}
	}
	return len(ops), nil
}
