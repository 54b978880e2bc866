package wal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed log.
var ErrClosed = errors.New("wal: log closed")

// Options configure a Log.
type Options struct {
	MaxSegmentBytes int64
	SyncOnAppend    bool
	// OnRotate, if set, is called with the id of each sealed segment.
	OnRotate func(sealed uint64)
	Logf     func(format string, args ...any)
}

// Log is a segmented append-only log. It is safe for concurrent use.
type Log struct {
	mu     sync.Mutex
	dir    string
	opts   Options
	ids    []uint64 // ascending; the last one is the active segment
	active *segment
	closed bool

	stats opStats
}

type opStats struct {
	mu    sync.Mutex
	count map[string]int
	total map[string]time.Duration
}

func (s *opStats) record(op string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count == nil {
		s.count = make(map[string]int)
		s.total = make(map[string]time.Duration)
	}
	s.count[op]++
	s.total[op] += d
}

// timeOp starts timing op; call the returned func when it is done.
func (l *Log) timeOp(op string) func() {
	start := time.Now()
	return func() { l.stats.record(op, time.Since(start)) }
}

// Open opens (or creates) the log in dir.
func Open(dir string, opts Options) (*Log, error) {
	if opts.MaxSegmentBytes <= 0 {
		opts.MaxSegmentBytes = 64 << 20
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ids, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{dir: dir, opts: opts, ids: ids}
	if len(ids) == 0 {
		seg, err := createSegment(dir, 1)
		if err != nil {
			return nil, err
		}
		l.active = seg
		l.ids = []uint64{1}
		if err := syncDir(dir); err != nil {
			return nil, errors.Join(err, seg.close())
		}
		return l, nil
	}
	seg, err := openSegmentAppend(dir, ids[len(ids)-1])
	if err != nil {
		return nil, err
	}
	l.active = seg
	return l, nil
}

// Append writes one record and returns the id of the segment holding it.
func (l *Log) Append(p []byte) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	if l.active.size > 0 && l.active.size+recordOverhead+int64(len(p)) > l.opts.MaxSegmentBytes {
		if err := l.rotateLocked(); err != nil {
			return 0, err
		}
	}
	if _, err := l.active.append(p); err != nil {
		return 0, err
	}
	if l.opts.SyncOnAppend {
		if err := l.active.sync(); err != nil {
			return 0, err
		}
	}
	return l.active.id, nil
}

func (l *Log) activeSegment() *segment { return l.active }

// AppendBatch appends recs and makes them durable before returning.
func (l *Log) AppendBatch(recs [][]byte) (err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	defer l.activeSegment().syncInto(&err) // HAZ defer-call-chain
	for _, r := range recs {
		if l.active.size > 0 && l.active.size+recordOverhead+int64(len(r)) > l.opts.MaxSegmentBytes {
			if err := l.rotateLocked(); err != nil {
				return err
			}
		}
		if _, err := l.active.append(r); err != nil {
			return err
		}
	}
	return nil
}

// AppendBatchSync is AppendBatch that syncs whichever segment is active when
// the batch is done.
func (l *Log) AppendBatchSync(recs [][]byte) (err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	defer func() { l.active.syncInto(&err) }() // ok: l.active read at exit
	for _, r := range recs {
		if l.active.size > 0 && l.active.size+recordOverhead+int64(len(r)) > l.opts.MaxSegmentBytes {
			if err := l.rotateLocked(); err != nil {
				return err
			}
		}
		if _, err := l.active.append(r); err != nil {
			return err
		}
	}
	return nil
}

// rotateLocked seals the active segment and starts the next one.
// The caller holds l.mu.
func (l *Log) rotateLocked() error {
	old := l.active
	if err := old.close(); err != nil {
		return fmt.Errorf("wal: seal segment %d: %w", old.id, err)
	}
	seg, err := createSegment(l.dir, old.id+1)
	if err != nil {
		return err
	}
	l.active = seg
	l.ids = append(l.ids, seg.id)
	if err := syncDir(l.dir); err != nil {
		return err
	}
	if l.opts.OnRotate != nil {
		l.opts.OnRotate(old.id)
	}
	return nil
}

// Rotate seals the active segment even if it is not full.
func (l *Log) Rotate() error {
	defer l.timeOp("rotate")() // ok: timer starts now, stops at exit
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.rotateLocked()
}

// Sync flushes and fsyncs the active segment.
func (l *Log) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.active.sync()
}

// Checkpoint writes a marker record, syncs, and returns the segment holding it.
func (l *Log) Checkpoint(marker []byte) (uint64, error) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.closed {
		return 0, ErrClosed
	}
	if _, err := l.active.append(marker); err != nil {
		l.mu.Unlock()
		return 0, err
	}
	err := l.active.sync()
	id := l.active.id
	l.mu.Unlock()
	return id, err
}

// Segments returns the ids of all segments, oldest first.
func (l *Log) Segments() []uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.ids)
}

// SealedSegments returns the ids of all sealed (read-only) segments.
func (l *Log) SealedSegments() []uint64 {
	l.mu.Lock()
	ids := slices.Clone(l.ids[:len(l.ids)-1])
	l.mu.Unlock()
	return ids
}

// SetMaxSegmentBytes changes the rotation threshold for future appends.
func (l *Log) SetMaxSegmentBytes(n int64) {
	l.mu.Lock()
	defer l.mu.Lock() // HAZ defer-lock-mismatch
	l.opts.MaxSegmentBytes = n
}

// TruncateBefore removes every sealed segment with an id below id.
func (l *Log) TruncateBefore(id uint64) (removed int, err error) {
	defer l.timeOp("truncate") // HAZ defer-func-result-not-called
	l.mu.Lock()
	defer l.mu.Unlock()
	keep := make([]uint64, 0, len(l.ids))
	for _, sid := range l.ids {
		if sid >= id || sid == l.active.id {
			keep = append(keep, sid)
			continue
		}
		if err := os.Remove(segmentPath(l.dir, sid)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			l.ids = append(keep, l.ids[len(keep)+removed:]...)
			return removed, err
		}
		removed++
	}
	l.ids = keep
	return removed, syncDir(l.dir)
}

// Close seals the active segment. Further operations return ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return l.active.close()
}
