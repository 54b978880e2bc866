// Package raft implements leader election, log replication, leases and membership
// changes for the key-value store.
package raft

import (
	"errors"
	"fmt"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

var (
	// ErrLogMismatch means the follower's log does not contain the leader's prev entry.
	ErrLogMismatch = errors.New("raft: log mismatch")
	// ErrCompacted means the requested entries were folded into a snapshot.
	ErrCompacted = errors.New("raft: entries compacted")
)

// Log is the in-memory view of the replicated log. entries[0] is a sentinel holding
// the index and term of the last compacted entry.
type Log struct {
	mu      sync.Mutex
	entries []raftpb.Entry
	commit  raftpb.Index
	waiters map[raftpb.Index][]chan struct{}
}

// NewLog starts a log after a snapshot at (index, term).
func NewLog(index raftpb.Index, term raftpb.Term) *Log {
	return &Log{
		entries: []raftpb.Entry{{Index: index, Term: term}},
		commit:  index,
		waiters: make(map[raftpb.Index][]chan struct{}),
	}
}

func (l *Log) firstIndexLocked() raftpb.Index { return l.entries[0].Index }

func (l *Log) lastIndexLocked() raftpb.Index { return l.entries[len(l.entries)-1].Index }

func (l *Log) termAtLocked(i raftpb.Index) (raftpb.Term, bool) {
	first := l.firstIndexLocked()
	if i < first || i > l.lastIndexLocked() {
		return 0, false
	}
	return l.entries[i-first].Term, true
}

func (l *Log) truncateLocked(from raftpb.Index) {
	first := l.firstIndexLocked()
	if from <= first {
		return
	}
	l.entries = l.entries[:from-first]
}

// FirstIndex returns the index of the compaction sentinel.
func (l *Log) FirstIndex() raftpb.Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.firstIndexLocked()
}

// LastIndex returns the index of the newest entry.
func (l *Log) LastIndex() raftpb.Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastIndexLocked()
}

// LastTerm returns the index and term of the newest entry in one critical section.
func (l *Log) LastTerm() (raftpb.Index, raftpb.Term) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[len(l.entries)-1]
	return e.Index, e.Term
}

// TermAt returns the term of entry i.
func (l *Log) TermAt(i raftpb.Index) (raftpb.Term, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.termAtLocked(i)
}

// Append adds leader-created entries, assigning their indexes; returns the last index.
func (l *Log) Append(entries ...raftpb.Entry) raftpb.Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.lastIndexLocked() + 1
	for _, e := range entries {
		e.Index = next
		next++
		l.entries = append(l.entries, e)
	}
	return l.lastIndexLocked()
}

// Matches reports whether the log holds prevIndex with prevTerm.
func (l *Log) Matches(prevIndex raftpb.Index, prevTerm raftpb.Term) bool {
	l.mu.Lock()
	t, ok := l.termAtLocked(prevIndex)
	if !ok {
		l.mu.Unlock()
		return false
	}
	l.mu.Unlock()
	return t == prevTerm
}

// AppendFrom applies a leader's AppendEntries on a follower.
func (l *Log) AppendFrom(prevIndex raftpb.Index, prevTerm raftpb.Term, entries []raftpb.Entry) (raftpb.Index, error) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := l.termAtLocked(prevIndex)
	if !ok || t != prevTerm {
		return 0, ErrLogMismatch
	}
	for _, e := range entries {
		if existing, ok := l.termAtLocked(e.Index); ok && existing != e.Term {
			l.truncateLocked(e.Index)
		}
		if e.Index > l.lastIndexLocked() {
			l.entries = append(l.entries, e)
		}
	}
	last := l.lastIndexLocked()
	l.mu.Unlock()
	return last, nil
}

// Slice returns a copy of entries in [lo, hi).
func (l *Log) Slice(lo, hi raftpb.Index) ([]raftpb.Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first := l.firstIndexLocked()
	if lo <= first {
		return nil, ErrCompacted
	}
	if hi > l.lastIndexLocked()+1 {
		hi = l.lastIndexLocked() + 1
	}
	if lo >= hi {
		return nil, nil
	}
	return append([]raftpb.Entry(nil), l.entries[lo-first:hi-first]...), nil
}

// CommitIndex returns the highest committed index.
func (l *Log) CommitIndex() raftpb.Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.commit
}

// SetCommit advances the commit index and wakes waiters.
func (l *Log) SetCommit(i raftpb.Index) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i <= l.commit || i > l.lastIndexLocked() {
		return false
	}
	l.commit = i
	for idx, ws := range l.waiters {
		if idx > i {
			continue
		}
		for _, w := range ws {
			close(w)
		}
		delete(l.waiters, idx)
	}
	return true
}

// WaitCommitted returns a channel closed once index i is committed.
func (l *Log) WaitCommitted(i raftpb.Index) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan struct{})
	if i <= l.commit {
		close(ch)
		return ch
	}
	l.waiters[i] = append(l.waiters[i], ch)
	return ch
}

// Compact drops entries up to and including upTo, which must be committed.
func (l *Log) Compact(upTo raftpb.Index) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if upTo > l.commit {
		return fmt.Errorf("raft: compact %d beyond commit %d", upTo, l.commit)
	}
	t, ok := l.termAtLocked(upTo)
	if !ok {
		return ErrCompacted
	}
	if upTo <= l.FirstIndex() { // HAZ lock-reentry-under-defer
		return nil
	}
	first := l.firstIndexLocked()
	rest := append([]raftpb.Entry(nil), l.entries[upTo-first+1:]...)
	l.entries = append([]raftpb.Entry{{Index: upTo, Term: t}}, rest...)
	return nil
}

// Reset replaces the log with a snapshot sentinel after InstallSnapshot.
func (l *Log) Reset(index raftpb.Index, term raftpb.Term) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = []raftpb.Entry{{Index: index, Term: term}}
	if l.commit < index {
		l.commit = index
	}
}

// Len returns the number of live entries.
func (l *Log) Len() int {
	l.mu.Lock()
	n := len(l.entries) - 1
	l.mu.Unlock()
	return n
}
