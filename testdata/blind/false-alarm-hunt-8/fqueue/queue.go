// Package fqueue is an append-only, file-backed queue made of numbered
// segment files. Each record is a 4-byte big-endian length and the payload.
package fqueue

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("fqueue: closed")

// Queue appends records to the newest segment and rotates segments by size.
type Queue struct {
	dir    string
	segMax int64
	log    func(string, ...any)

	mu     sync.Mutex
	seg    *segment
	nextID int
}

type segment struct {
	id   int
	f    *os.File
	w    *bufio.Writer
	size int64
}

// Open opens (creating if needed) the queue in dir and starts a new segment
// after the existing ones.
func Open(dir string, segMax int64) (*Queue, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ids, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	next := 1
	if len(ids) > 0 {
		next = ids[len(ids)-1] + 1
	}
	q := &Queue{dir: dir, segMax: segMax, nextID: next}
	if err := q.openSegment(); err != nil {
		return nil, err
	}
	return q, nil
}

// SetLogger installs a printf-style logger; nil restores silence.
func (q *Queue) SetLogger(logf func(string, ...any)) { q.log = logf }

func (q *Queue) logf(format string, args ...any) {
	if q.log != nil {
		q.log(format, args...)
	}
}

// Dir returns the queue directory.
func (q *Queue) Dir() string { return q.dir }

func (q *Queue) segPath(id int) string {
	return filepath.Join(q.dir, fmt.Sprintf("%08d.seg", id))
}

// openSegment creates the next segment file. Call it with q.mu held, or
// before q is shared.
func (q *Queue) openSegment() error {
	f, err := os.OpenFile(q.segPath(q.nextID), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	q.seg = &segment{id: q.nextID, f: f, w: bufio.NewWriter(f)}
	q.nextID++
	return nil
}

// Append buffers one record. It is durable after Sync or Close.
func (q *Queue) Append(rec []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seg == nil {
		return ErrClosed
	}
	if q.segMax > 0 && q.seg.size > 0 && q.seg.size+int64(len(rec))+4 > q.segMax {
		if err := q.rotateLocked(); err != nil {
			return err
		}
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(rec)))
	if _, err := q.seg.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := q.seg.w.Write(rec); err != nil {
		return err
	}
	q.seg.size += int64(len(rec)) + 4
	return nil
}

// rotateLocked seals the current segment and opens the next. q.mu must be
// held; neither callee locks.
func (q *Queue) rotateLocked() error {
	if err := q.seg.seal(); err != nil {
		return err
	}
	return q.openSegment()
}

// Rotate seals the current segment so that consumers can read it.
func (q *Queue) Rotate() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seg == nil {
		return ErrClosed
	}
	return q.rotateLocked()
}

// seal flushes, fsyncs and closes the segment, reporting the first error.
func (s *segment) seal() error {
	if err := s.w.Flush(); err != nil {
		s.f.Close()
		return err
	}
	if err := s.f.Sync(); err != nil {
		s.f.Close()
		return err
	}
	return s.f.Close()
}

// sync makes buffered records durable without closing the segment.
func (s *segment) sync() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

// Sync makes every appended record durable.
func (q *Queue) Sync() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seg == nil {
		return ErrClosed
	}
	return q.seg.sync()
}

// active returns the segment currently being written.
func (q *Queue) active() *segment {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.seg
}

// activeID returns the id of the segment being written; lower ids are sealed.
func (q *Queue) activeID() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seg == nil {
		return q.nextID
	}
	return q.seg.id
}

// AppendDurable appends recs and makes them durable before returning.
func (q *Queue) AppendDurable(recs [][]byte) error {
	defer q.active().sync() // HAZ defer-call-chain
	for _, r := range recs {
		if err := q.Append(r); err != nil {
			return err
		}
	}
	return nil
}

// Close seals the current segment.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seg == nil {
		return ErrClosed
	}
	err := q.seg.seal()
	q.seg = nil
	return err
}

// trace logs the start of op and returns the func that logs its end. Use
// it as defer q.trace("op")().
func (q *Queue) trace(op string) func() {
	start := time.Now()
	q.logf("fqueue: %s started", op)
	return func() { q.logf("fqueue: %s done in %v", op, time.Since(start)) }
}
