// Package wal implements the lease server's write-ahead log: length- and
// CRC-framed records appended to numbered segment files, fsynced on demand,
// rotated by size and compacted below a snapshot index.
package wal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/leaselock/internal/metrics"
)

// ErrClosed is returned by operations on a closed log.
var ErrClosed = errors.New("wal: log is closed")

// Options tune durability and segment size.
type Options struct {
	// SyncEveryAppend fsyncs after each Append (slow, safest).
	SyncEveryAppend bool
	// SegmentBytes is the size after which Append rotates; 0 means 64 MiB.
	SegmentBytes int64
}

// Log is an append-only record log stored in one directory.
type Log struct {
	mu          sync.Mutex
	dir         string
	opts        Options
	f           *os.File
	w           *bufio.Writer
	size        int64
	firstIndex  uint64 // first index of the active segment
	nextIndex   uint64
	appends     *metrics.Counter
	syncLatency *metrics.Histogram
}

type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}

// Open opens the log in dir, creating the directory and a first segment
// when needed, and positions it after the last valid record.
func Open(dir string, opts Options) (*Log, error) {
	if opts.SegmentBytes <= 0 {
		opts.SegmentBytes = 64 << 20
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	l := &Log{
		dir:         dir,
		opts:        opts,
		nextIndex:   1,
		appends:     metrics.Default.Counter("wal_appends_total"),
		syncLatency: metrics.Default.Histogram("wal_sync"),
	}
	err := ReplayFrom(dir, 0, func(r Record) error {
		l.nextIndex = r.Index + 1
		return nil
	})
	if err != nil {
		return nil, err
	}
	names, err := segmentNames(dir)
	if err != nil {
		return nil, err
	}
	first := l.nextIndex
	if len(names) > 0 {
		if first, err = parseSegmentName(names[len(names)-1]); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(dir, segmentName(first))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("wal: %w", err)
	}
	l.f, l.w, l.size, l.firstIndex = f, bufio.NewWriter(f), st.Size(), first
	return l, nil
}

// Dir returns the directory holding the segments.
func (l *Log) Dir() string { return l.dir }

// Append adds rec to the log and returns the index assigned to it.
func (l *Log) Append(rec Record) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.appendLocked(rec)
}

// appendLocked assigns the next index to rec and buffers it, rotating the
// segment first when it is full. The caller holds l.mu.
func (l *Log) appendLocked(rec Record) (uint64, error) {
	if l.f == nil {
		return 0, ErrClosed
	}
	if l.size >= l.opts.SegmentBytes {
		if err := l.rotateLocked(); err != nil {
			return 0, err
		}
	}
	rec.Index = l.nextIndex
	cw := countingWriter{w: l.w}
	if err := encodeRecord(&cw, rec); err != nil {
		return 0, fmt.Errorf("wal: append: %w", err)
	}
	l.size += cw.n
	l.nextIndex++
	l.appends.Inc()
	if l.opts.SyncEveryAppend {
		if err := l.syncLocked(); err != nil {
			return 0, err
		}
	}
	return rec.Index, nil
}

// AppendAll applies a tail of records shipped by the leader, in order, and
// fsyncs once at the end.
func (l *Log) AppendAll(recs []Record) (last uint64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range recs {
		if last, err = l.Append(r); err != nil { // HAZ lock-reentry-under-defer
			return 0, err
		}
	}
	return last, l.syncLocked()
}

// CommitGroup appends recs atomically with respect to other appenders and
// fsyncs once, returning the index of the last record (group commit).
func (l *Log) CommitGroup(recs []Record) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var last uint64
	for _, r := range recs {
		idx, err := l.appendLocked(r)
		if err != nil {
			return 0, err
		}
		last = idx
	}
	if err := l.syncLocked(); err != nil {
		return 0, err
	}
	return last, nil
}

// syncLocked flushes the buffer and fsyncs the active segment.
func (l *Log) syncLocked() error {
	if l.f == nil {
		return ErrClosed
	}
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("wal: flush: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("wal: fsync: %w", err)
	}
	return nil
}

// Sync flushes buffered records and fsyncs the active segment.
func (l *Log) Sync() error {
	start := time.Now()
	defer l.syncLatency.Observe(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncLocked()
}

// rotateLocked seals the active segment and opens a new one starting at
// nextIndex. The caller holds l.mu.
func (l *Log) rotateLocked() error {
	if err := l.syncLocked(); err != nil {
		return err
	}
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("wal: seal segment: %w", err)
	}
	path := filepath.Join(l.dir, segmentName(l.nextIndex))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		l.f, l.w = nil, nil
		return fmt.Errorf("wal: new segment: %w", err)
	}
	l.f, l.w, l.size, l.firstIndex = f, bufio.NewWriter(f), 0, l.nextIndex
	return nil
}

// Rotate seals the active segment now, e.g. right before a snapshot, so
// that compaction can drop it once the snapshot is durable.
func (l *Log) Rotate() error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.f == nil {
		return ErrClosed
	}
	if l.size == 0 {
		l.mu.Unlock()
		return nil // nothing to seal
	}
	err := l.rotateLocked()
	l.mu.Unlock()
	return err
}

// ActiveSegment returns the file name of the segment being appended to.
func (l *Log) ActiveSegment() string {
	l.mu.Lock()
	name := segmentName(l.firstIndex)
	l.mu.Unlock()
	return name
}

// SegmentFull reports whether the active segment reached limit bytes.
func (l *Log) SegmentFull(limit int64) bool {
	l.mu.Lock()
	if l.f == nil {
		l.mu.Unlock()
		return false
	}
	full := l.size >= limit
	l.mu.Unlock()
	return full
}

// LastIndex returns the index of the last appended record (0 if none).
func (l *Log) LastIndex() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.nextIndex - 1
}

// Close flushes, fsyncs and closes the active segment.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.syncLocked()
	err = errors.Join(err, l.f.Close())
	l.f, l.w = nil, nil
	return err
}
