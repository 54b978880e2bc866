// Package raftlog is a raft-style replicated log: the in-memory log, its
// on-disk segments and snapshots, progress tracking and the node loop.
package raftlog

import (
	"errors"
	"fmt"
	"log"
	"sync"
)

// EntryType distinguishes normal entries from configuration changes.
type EntryType uint8

// Entry kinds.
const (
	EntryNormal EntryType = iota
	EntryConfChange
)

// Entry is one log record.
type Entry struct {
	Index uint64
	Term  uint64
	Type  EntryType
	Data  []byte
}

// Errors returned by Log.
var (
	ErrCompacted   = errors.New("raftlog: requested index is compacted")
	ErrUnavailable = errors.New("raftlog: requested index is unavailable")
	ErrGap         = errors.New("raftlog: entries are not contiguous")
)

// Log is the in-memory raft log. entries[0] is a dummy at the snapshot index.
type Log struct {
	mu        sync.RWMutex
	entries   []Entry
	committed uint64
	applied   uint64
}

// NewLog returns a log starting after the given snapshot.
func NewLog(snapIndex, snapTerm uint64) *Log {
	return &Log{
		entries:   []Entry{{Index: snapIndex, Term: snapTerm}},
		committed: snapIndex,
		applied:   snapIndex,
	}
}

func (l *Log) firstIndexLocked() uint64 { return l.entries[0].Index + 1 }

func (l *Log) lastIndexLocked() uint64 { return l.entries[len(l.entries)-1].Index }

// FirstIndex returns the first index still held in memory.
func (l *Log) FirstIndex() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.firstIndexLocked()
}

// LastIndex returns the last index of the log.
func (l *Log) LastIndex() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lastIndexLocked()
}

func (l *Log) termLocked(i uint64) (uint64, error) {
	off := l.entries[0].Index
	if i < off {
		return 0, ErrCompacted
	}
	if i-off >= uint64(len(l.entries)) {
		return 0, ErrUnavailable
	}
	return l.entries[i-off].Term, nil
}

// Term returns the term of entry i.
func (l *Log) Term(i uint64) (uint64, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.termLocked(i)
}

// LastTerm returns the term of the last entry.
func (l *Log) LastTerm() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.entries[len(l.entries)-1].Term
}

// IsUpToDate reports whether a candidate's log is at least as current as
// ours. It reads both values under one read lock through the *Locked helpers.
func (l *Log) IsUpToDate(lastIndex, term uint64) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ourTerm := l.entries[len(l.entries)-1].Term
	return term > ourTerm || (term == ourTerm && lastIndex >= l.lastIndexLocked())
}

// Append adds entries that must directly follow the last one.
func (l *Log) Append(ents ...Entry) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(ents) == 0 {
		return l.lastIndexLocked(), nil
	}
	if want := l.lastIndexLocked() + 1; ents[0].Index != want {
		return 0, fmt.Errorf("%w: got %d, want %d", ErrGap, ents[0].Index, want)
	}
	l.entries = append(l.entries, ents...)
	return l.lastIndexLocked(), nil
}

// MaybeAppend is the follower side of AppendEntries.
func (l *Log) MaybeAppend(prevIndex, prevTerm, leaderCommit uint64, ents []Entry) (uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, err := l.termLocked(prevIndex); err != nil || t != prevTerm {
		return 0, false
	}
	lastNew := prevIndex + uint64(len(ents))
	if ci := l.findConflictLocked(ents); ci != 0 {
		if ci <= l.committed {
			panic(fmt.Sprintf("raftlog: conflict at %d below commit %d", ci, l.committed))
		}
		off := l.entries[0].Index
		l.entries = append(l.entries[:ci-off], ents[ci-ents[0].Index:]...)
	}
	l.commitToLocked(min(leaderCommit, lastNew))
	return lastNew, true
}

// findConflictLocked returns the first index whose term differs, or 0.
func (l *Log) findConflictLocked(ents []Entry) uint64 {
	for _, e := range ents {
		if t, err := l.termLocked(e.Index); err != nil || t != e.Term {
			return e.Index
		}
	}
	return 0
}

// Slice returns entries [lo, hi) limited to maxBytes (at least one entry).
func (l *Log) Slice(lo, hi uint64, maxBytes int) ([]Entry, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if lo < l.firstIndexLocked() {
		return nil, ErrCompacted
	}
	if hi > l.lastIndexLocked()+1 {
		return nil, ErrUnavailable
	}
	off := l.entries[0].Index
	var out []Entry
	size := 0
	for _, e := range l.entries[lo-off : hi-off] {
		size += len(e.Data)
		if len(out) > 0 && maxBytes > 0 && size > maxBytes {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

func (l *Log) commitToLocked(i uint64) {
	if i > l.committed {
		if i > l.lastIndexLocked() {
			panic(fmt.Sprintf("raftlog: commit %d beyond last index %d", i, l.lastIndexLocked()))
		}
		l.committed = i
	}
}

// CommitTo advances the commit index.
func (l *Log) CommitTo(i uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commitToLocked(i)
}

// Committed returns the commit index.
func (l *Log) Committed() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.committed
}

// NextCommitted returns committed entries not yet applied.
func (l *Log) NextCommitted() []Entry {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.applied >= l.committed {
		return nil
	}
	off := l.entries[0].Index
	return append([]Entry(nil), l.entries[l.applied+1-off:l.committed+1-off]...)
}

// AppliedTo records that entries up to i were applied.
func (l *Log) AppliedTo(i uint64) {
	l.mu.Lock()
	if i > l.applied && i <= l.committed {
		l.applied = i
	}
	l.mu.Unlock()
}

// Compact drops entries up to and including i, which must be applied.
func (l *Log) Compact(i uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	off := l.entries[0].Index
	if i <= off {
		return ErrCompacted
	}
	if i > l.applied {
		return fmt.Errorf("raftlog: compact %d beyond applied %d", i, l.applied)
	}
	rest := make([]Entry, 1, 1+len(l.entries)-int(i-off)-1)
	rest[0] = Entry{Index: i, Term: l.entries[i-off].Term}
	l.entries = append(rest, l.entries[i-off+1:]...)
	return nil
}

// LogStats is a point-in-time summary of the log.
type LogStats struct {
	First, Last, Committed, Applied uint64
	Bytes                           int
}

// Stats takes a snapshot of the log's counters.
func (l *Log) Stats() LogStats {
	l.mu.RLock()
	defer l.mu.RUnlock()
	s := LogStats{First: l.firstIndexLocked(), Last: l.lastIndexLocked(), Committed: l.committed, Applied: l.applied}
	for _, e := range l.entries {
		s.Bytes += len(e.Data)
	}
	return s
}

// Report logs the summary.
func (s LogStats) Report(logger *log.Logger) {
	logger.Printf("raftlog: first=%d last=%d committed=%d applied=%d bytes=%d",
		s.First, s.Last, s.Committed, s.Applied, s.Bytes)
}
