package fqueue

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("fqueue: closed")

// Options configure a Queue.
type Options struct {
	MaxSegmentBytes int64
	SyncEveryAppend bool
	OnRotate        func(closedID, newID uint64)
}

// Queue is an append-only log of records split into segment files.
type Queue struct {
	mu     sync.Mutex
	dir    string
	opts   Options
	active *segment
	closed bool
}

// Open opens the queue in dir, creating it if needed, and appends to the
// newest segment.
func Open(dir string, opts Options) (*Queue, error) {
	if opts.MaxSegmentBytes <= 0 {
		opts.MaxSegmentBytes = 16 << 20
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ids, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	var id uint64 = 1
	if len(ids) > 0 {
		id = ids[len(ids)-1]
	}
	seg, err := openSegment(dir, id)
	if err != nil {
		return nil, err
	}
	return &Queue{dir: dir, opts: opts, active: seg}, nil
}

// Dir returns the queue directory.
func (q *Queue) Dir() string { return q.dir }

// tail returns the active segment. q.mu must be held.
func (q *Queue) tail() *segment { return q.active }

// rotateLocked closes the active segment and opens the next one.
func (q *Queue) rotateLocked() error {
	old := q.active
	if err := old.close(); err != nil {
		return err
	}
	seg, err := openSegment(q.dir, old.id+1)
	if err != nil {
		return err
	}
	q.active = seg
	if q.opts.OnRotate != nil {
		q.opts.OnRotate(old.id, seg.id)
	}
	return nil
}

// Append adds one record.
func (q *Queue) Append(rec []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if q.active.size > 0 && q.active.size+frameLen(rec) > q.opts.MaxSegmentBytes {
		if err := q.rotateLocked(); err != nil {
			return err
		}
	}
	if err := q.active.append(rec); err != nil {
		return err
	}
	if q.opts.SyncEveryAppend {
		return q.active.sync()
	}
	return q.active.flush()
}

// AppendBatch adds several records, flushing once at the end.
func (q *Queue) AppendBatch(recs [][]byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	defer q.tail().flush() // HAZ defer-call-chain
	for _, rec := range recs {
		if q.active.size > 0 && q.active.size+frameLen(rec) > q.opts.MaxSegmentBytes {
			if err := q.rotateLocked(); err != nil {
				return err
			}
		}
		if err := q.active.append(rec); err != nil {
			return err
		}
	}
	return nil
}

// AppendAll adds several records and flushes whichever segment is active
// when it finishes, reporting the flush error.
func (q *Queue) AppendAll(recs [][]byte) (err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	defer func() {
		if ferr := q.active.flush(); err == nil {
			err = ferr
		}
	}()
	for _, rec := range recs {
		if q.active.size > 0 && q.active.size+frameLen(rec) > q.opts.MaxSegmentBytes {
			if err := q.rotateLocked(); err != nil {
				return err
			}
		}
		if err := q.active.append(rec); err != nil {
			return err
		}
	}
	return nil
}

// Sync flushes and fsyncs the active segment.
func (q *Queue) Sync() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	return q.active.sync()
}

// Close flushes and closes the active segment.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	q.closed = true
	return q.active.close()
}

// Segments returns the paths of all segment files, oldest first.
func (q *Queue) Segments() ([]string, error) {
	ids, err := listSegments(q.dir)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = filepath.Join(q.dir, segName(id))
	}
	return paths, nil
}

// Truncate removes segments older than keepFrom. The active segment is
// never removed.
func (q *Queue) Truncate(keepFrom uint64) (int, error) {
	q.mu.Lock()
	activeID := q.active.id
	q.mu.Unlock()

	ids, err := listSegments(q.dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, id := range ids {
		if id >= keepFrom || id >= activeID {
			break
		}
		if err := os.Remove(filepath.Join(q.dir, segName(id))); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
