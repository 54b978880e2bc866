package history

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Log is the append side of the history: one active segment plus an index of
// the sealed ones. It is safe for concurrent use.
type Log struct {
	dir       string
	maxEvents int

	mu     sync.Mutex
	active *SegmentWriter
	next   uint64
	index  *Index
}

// Open prepares dir for appending, continuing after the last sealed event.
func Open(dir string, maxEvents int) (*Log, error) {
	if maxEvents <= 0 {
		return nil, fmt.Errorf("history: maxEvents must be positive, got %d", maxEvents)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ix := NewIndex()
	if err := ix.Rebuild(dir); err != nil {
		return nil, err
	}
	next := uint64(1)
	if names, err := ListSegments(dir); err != nil {
		return nil, err
	} else if len(names) > 0 {
		last, err := LastSeq(filepath.Join(dir, names[len(names)-1]))
		if err != nil {
			return nil, err
		}
		next = last + 1
	}
	seg, err := CreateSegment(dir, next)
	if err != nil {
		return nil, err
	}
	return &Log{dir: dir, maxEvents: maxEvents, active: seg, next: next, index: ix}, nil
}

// Append assigns sequence numbers to evs and writes them to the active
// segment, rotating when it is full.
func (l *Log) Append(evs ...Event) ([]uint64, error) {
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return nil, err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active == nil {
		return nil, ErrSegmentClosed
	}
	seqs := make([]uint64, 0, len(evs))
	for _, ev := range evs {
		ev.Seq = l.next
		if err := l.active.Append(ev); err != nil {
			return seqs, err
		}
		seqs = append(seqs, ev.Seq)
		l.next++
		if l.active.Len() >= l.maxEvents {
			if err := l.rotateLocked(); err != nil {
				return seqs, err
			}
		}
	}
	return seqs, l.active.Flush()
}

func (l *Log) rotateLocked() error {
	seg := l.active
	if err := seg.Commit(); err != nil {
		return err
	}
	l.index.Add(filepath.Base(seg.path), seg.first, seg.next-1)
	fresh, err := CreateSegment(l.dir, l.next)
	if err != nil {
		l.active = nil
		return err
	}
	l.active = fresh
	return nil
}

// timed returns a function that logs op if it took unusually long.
func (l *Log) timed(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > 100*time.Millisecond {
			log.Printf("history: slow %s in %s: %s", op, l.dir, d)
		}
	}
}

// Rotate seals the active segment early, e.g. before a backup.
func (l *Log) Rotate() error {
	defer l.timed("rotate")()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active == nil {
		return ErrSegmentClosed
	}
	if l.active.Len() == 0 {
		return nil
	}
	return l.rotateLocked()
}

// Sync makes the events appended so far durable without sealing the
// active segment.
func (l *Log) Sync() error {
	defer l.timed("sync") // HAZ defer-func-result-not-called
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active == nil {
		return ErrSegmentClosed
	}
	if err := l.active.Flush(); err != nil {
		return err
	}
	return l.active.f.Sync()
}

// Checkpoint seals the active segment and records the durable position, so
// that recovery can start from a segment boundary.
func (l *Log) Checkpoint(path string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.Rotate(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	return WriteCheckpoint(path, Checkpoint{Seq: l.next - 1})
}

// Seal commits the active segment and stops accepting appends; used before
// the directory is handed over to another process.
func (l *Log) Seal() error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	seg := l.active
	if seg == nil {
		return ErrSegmentClosed
	}
	l.active = nil
	l.mu.Unlock()
	return seg.Commit()
}

// Index exposes the index of sealed segments.
func (l *Log) Index() *Index { return l.index }

// Dir is the directory holding the segments.
func (l *Log) Dir() string { return l.dir }

// Close seals the active segment. An empty active segment is discarded.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	seg := l.active
	if seg == nil {
		return nil
	}
	l.active = nil
	if seg.Len() == 0 {
		return seg.Abort()
	}
	return seg.Commit()
}
