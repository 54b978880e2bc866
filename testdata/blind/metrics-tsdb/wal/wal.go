// Package wal implements the write-ahead log: length-prefixed, checksummed
// records appended to numbered segment files that are rotated at a size
// limit, fsynced periodically and truncated after checkpoints.
package wal

import (
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"example.com/tsdb/internal/fileutil"
)

// DefaultSegmentSize is the rotation threshold.
const DefaultSegmentSize = 32 << 20

// ErrClosed is returned by operations on a closed WAL.
var ErrClosed = errors.New("wal: closed")

// WAL is the write-ahead log of one data directory.
type WAL struct {
	dir           string
	segSize       int64
	flushInterval time.Duration
	logger        *log.Logger

	mu      sync.Mutex
	segment *Segment
	written int64
	closed  bool
	buf     []byte

	stopc chan struct{}
	donec chan struct{}
}

// Open starts a new segment after the existing ones and the background fsync loop.
func Open(dir string, segSize int64, logger *log.Logger) (*WAL, error) {
	if segSize <= 0 {
		segSize = DefaultSegmentSize
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	refs, err := ListSegments(dir)
	if err != nil {
		return nil, err
	}
	next := 0
	if len(refs) > 0 {
		next = refs[len(refs)-1].Index + 1
	}
	seg, err := CreateSegment(dir, next)
	if err != nil {
		return nil, err
	}
	w := &WAL{
		dir:           dir,
		segSize:       segSize,
		flushInterval: time.Second,
		logger:        logger,
		segment:       seg,
		stopc:         make(chan struct{}),
		donec:         make(chan struct{}),
	}
	go w.run()
	return w, nil
}

// Dir returns the WAL directory.
func (w *WAL) Dir() string { return w.dir }

func (w *WAL) run() {
	defer close(w.donec)
	t := time.NewTicker(w.flushInterval)
	defer t.Stop()
	for {
		select {
		case <-w.stopc:
			return
		case <-t.C:
			if err := w.Sync(); err != nil {
				w.logger.Printf("wal: periodic fsync: %v", err)
			}
		}
	}
}

// current returns the segment being written. w.mu must be held.
func (w *WAL) current() *Segment { return w.segment }

// Log appends records; they are durable after the next Sync.
func (w *WAL) Log(recs ...[]byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	for _, rec := range recs {
		if err := w.log(rec); err != nil {
			return err
		}
	}
	return nil
}

// LogSync appends records and fsyncs them before returning.
func (w *WAL) LogSync(recs ...[]byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	defer w.current().Sync() // HAZ defer-call-chain
	for _, rec := range recs {
		if err := w.log(rec); err != nil {
			return err
		}
	}
	return nil
}

// log appends one record, rotating first if it would not fit. w.mu must be held.
func (w *WAL) log(rec []byte) error {
	if len(rec) > MaxRecordSize {
		return fmt.Errorf("wal: record of %d bytes exceeds limit", len(rec))
	}
	need := int64(recordHeaderSize + len(rec))
	if w.written > 0 && w.written+need > w.segSize {
		if err := w.nextSegment(); err != nil {
			return err
		}
	}
	w.buf = encodeRecord(w.buf[:0], rec)
	n, err := w.segment.Write(w.buf)
	w.written += int64(n)
	return err
}

// nextSegment fsyncs and closes the current segment and starts the next one.
// w.mu must be held.
func (w *WAL) nextSegment() error {
	if err := w.segment.Sync(); err != nil {
		return fmt.Errorf("wal: sync segment %d: %w", w.segment.Index(), err)
	}
	if err := w.segment.Close(); err != nil {
		return fmt.Errorf("wal: close segment %d: %w", w.segment.Index(), err)
	}
	next, err := CreateSegment(w.dir, w.segment.Index()+1)
	if err != nil {
		return err
	}
	w.segment = next
	w.written = 0
	return fileutil.SyncDir(w.dir)
}

// Sync fsyncs the active segment.
func (w *WAL) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	return w.segment.Sync()
}

// Segments returns the index of the first and of the active segment.
func (w *WAL) Segments() (first, last int, err error) {
	refs, err := ListSegments(w.dir)
	if err != nil {
		return 0, 0, err
	}
	if len(refs) == 0 {
		return 0, 0, errors.New("wal: no segments")
	}
	w.mu.Lock()
	last = w.segment.Index()
	w.mu.Unlock()
	return refs[0].Index, last, nil
}

// Close stops the fsync loop, then fsyncs and closes the active segment.
func (w *WAL) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	w.closed = true
	w.mu.Unlock()

	close(w.stopc)
	<-w.donec

	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.segment.Sync(); err != nil {
		w.segment.Close()
		return err
	}
	return w.segment.Close()
}
