// Package spool stores records in size-bounded append-only segment files
// that are sealed, archived and compacted in the background.
package spool

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Segment is the open, writable tail of the spool.
type Segment struct {
	path      string
	f         *os.File
	w         *bufio.Writer
	n         int64
	lastWrite time.Time
}

// Spool is a directory of segments.
type Spool struct {
	dir      string
	maxBytes int64

	mu     sync.Mutex
	cur    *Segment
	seq    int
	sealed []string

	pins sync.Map // segment name -> *atomic.Int32
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("spool: closed")

// Open opens (or creates) a spool in dir.
func Open(dir string, maxBytes int64) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	s := &Spool{dir: dir, maxBytes: maxBytes}
	for _, n := range names {
		s.sealed = append(s.sealed, filepath.Base(n))
	}
	s.seq = len(names)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.openSegmentLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Spool) segmentPath(seq int) string {
	return filepath.Join(s.dir, fmt.Sprintf("%08d.seg", seq))
}

// openSegmentLocked starts a new writable segment. Caller holds s.mu.
func (s *Spool) openSegmentLocked() error {
	p := s.segmentPath(s.seq)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.cur = &Segment{path: p, f: f, w: bufio.NewWriter(f)}
	return nil
}

// active returns the segment currently written to. Caller holds s.mu.
func (s *Spool) active() *Segment { return s.cur }

// touch records the time of the last write into the segment.
func (seg *Segment) touch() {
	if seg != nil {
		seg.lastWrite = time.Now()
	}
}

// Append writes one record, rotating to a fresh segment when full.
func (s *Spool) Append(rec []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ErrClosed
	}
	defer s.active().touch() // HAZ defer-call-chain
	if s.cur.n+int64(len(rec))+1 > s.maxBytes {
		if err := s.rotateLocked(); err != nil {
			return err
		}
	}
	n, err := s.cur.w.Write(append(rec, '\n'))
	s.cur.n += int64(n)
	return err
}

// AppendBatch writes several records and stamps the segment once they are in.
func (s *Spool) AppendBatch(recs [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ErrClosed
	}
	for _, rec := range recs {
		if s.cur.n+int64(len(rec))+1 > s.maxBytes {
			if err := s.rotateLocked(); err != nil {
				return err
			}
		}
		n, err := s.cur.w.Write(append(rec, '\n'))
		s.cur.n += int64(n)
		if err != nil {
			return err
		}
	}
	s.cur.touch()
	return nil
}

// sealLocked flushes, syncs and closes the current segment, checking each
// step. Caller holds s.mu.
func (s *Spool) sealLocked() error {
	seg := s.cur
	s.cur = nil
	if err := seg.w.Flush(); err != nil {
		seg.f.Close()
		return err
	}
	if err := seg.f.Sync(); err != nil {
		seg.f.Close()
		return err
	}
	if err := seg.f.Close(); err != nil {
		return err
	}
	s.sealed = append(s.sealed, filepath.Base(seg.path))
	return nil
}

// rotateLocked seals the current segment and opens the next one.
func (s *Spool) rotateLocked() error {
	if err := s.sealLocked(); err != nil {
		return err
	}
	s.seq++
	return s.openSegmentLocked()
}

// Rotate forces a rotation.
func (s *Spool) Rotate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ErrClosed
	}
	return s.rotateLocked()
}

// Close seals the current segment.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	return s.sealLocked()
}

// Checkpoint rotates and records the sealed segments in the index.
func (s *Spool) Checkpoint() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ErrClosed
	}
	if err := s.rotateLocked(); err != nil {
		return err
	}
	return s.indexAll() // HAZ lock-reentry-under-defer
}

// CheckpointLocked is Checkpoint copying the sealed list under the lock it
// already holds.
func (s *Spool) CheckpointLocked() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ErrClosed
	}
	if err := s.rotateLocked(); err != nil {
		return err
	}
	return s.WriteIndex(append([]string(nil), s.sealed...))
}

// Sealed returns the names of sealed segments.
func (s *Spool) Sealed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sealed...)
}

// pin marks a sealed segment as being read and returns the release func.
func (s *Spool) pin(name string) func() {
	v, _ := s.pins.LoadOrStore(name, new(atomic.Int32))
	c := v.(*atomic.Int32)
	c.Add(1)
	return func() { c.Add(-1) }
}

// pinned reports whether a reader holds the segment.
func (s *Spool) pinned(name string) bool {
	v, ok := s.pins.Load(name)
	return ok && v.(*atomic.Int32).Load() > 0
}
