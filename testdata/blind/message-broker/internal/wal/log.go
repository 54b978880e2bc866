package wal

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/messagebroker/internal/metrics"
)

// Options configure a Log.
type Options struct {
	SegmentBytes int64
	SyncEvery    int
	MaxCompact   int
}

func (o Options) withDefaults() Options {
	if o.SegmentBytes <= 0 {
		o.SegmentBytes = 64 << 20
	}
	if o.SyncEvery <= 0 {
		o.SyncEvery = 1
	}
	if o.MaxCompact <= 0 {
		o.MaxCompact = 1
	}
	return o
}

// Log is a directory of segments.
type Log struct {
	mu       sync.RWMutex
	dir      string
	opts     Options
	segments []*Segment
	active   *Segment
	closed   bool
	unsynced int
	throttle chan struct{}
	appends  *metrics.Counter
}

// Open opens or creates the log in dir.
func Open(dir string, opts Options) (*Log, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{
		dir:      dir,
		opts:     opts,
		throttle: make(chan struct{}, opts.MaxCompact),
		appends:  metrics.Default.Counter("wal_appends_total"),
	}
	for _, e := range entries {
		if _, ok := parseSegmentName(e.Name()); !ok {
			continue
		}
		s, err := openSegment(dir + string(os.PathSeparator) + e.Name())
		if err != nil {
			l.closeSegments()
			return nil, err
		}
		l.segments = append(l.segments, s)
	}
	sort.Slice(l.segments, func(i, j int) bool { return l.segments[i].base < l.segments[j].base })
	if len(l.segments) == 0 {
		s, err := createSegment(dir, 0)
		if err != nil {
			return nil, err
		}
		l.segments = append(l.segments, s)
	}
	l.active = l.segments[len(l.segments)-1]
	return l, nil
}

func (l *Log) closeSegments() error {
	var errs []error
	for _, s := range l.segments {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// Append writes one record and returns its offset.
func (l *Log) Append(key, value []byte) (int64, error) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.closed {
		return 0, ErrClosed
	}
	if l.active.size >= l.opts.SegmentBytes {
		if err := l.rollLocked(); err != nil {
			l.mu.Unlock()
			return 0, err
		}
	}
	off, err := l.active.append(key, value)
	if err == nil {
		err = l.maybeSyncLocked()
	}
	l.mu.Unlock()
	l.appends.Inc()
	return off, err
}

// AppendBatch writes records atomically with respect to other appenders.
func (l *Log) AppendBatch(values [][]byte) (first int64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	first = -1
	for _, v := range values {
		if l.active.size >= l.opts.SegmentBytes {
			if err := l.rollLocked(); err != nil {
				return first, err
			}
		}
		off, err := l.active.append(nil, v)
		if err != nil {
			return first, err
		}
		if first < 0 {
			first = off
		}
	}
	return first, l.maybeSyncLocked()
}

// AppendAll writes several batches and syncs the tail once at the end.
func (l *Log) AppendAll(batches [][][]byte) error {
	defer l.activeSegment().Sync() // HAZ defer-call-chain
	for _, b := range batches {
		if _, err := l.AppendBatch(b); err != nil {
			return err
		}
	}
	return nil
}

func (l *Log) maybeSyncLocked() error {
	l.unsynced++
	if l.unsynced < l.opts.SyncEvery {
		return nil
	}
	l.unsynced = 0
	return l.active.Sync()
}

func (l *Log) rollLocked() error {
	if err := l.active.finish(); err != nil {
		return err
	}
	s, err := createSegment(l.dir, l.active.next)
	if err != nil {
		return fmt.Errorf("wal: roll: %w", err)
	}
	l.segments = append(l.segments, s)
	l.active = s
	return nil
}

func (l *Log) activeSegment() *Segment {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.active
}

func (l *Log) findSegmentLocked(offset int64) *Segment {
	i := sort.Search(len(l.segments), func(i int) bool { return l.segments[i].next > offset })
	if i == len(l.segments) || offset < l.segments[i].base {
		return nil
	}
	return l.segments[i]
}

// Read returns the record at offset.
func (l *Log) Read(offset int64) (Record, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return Record{}, ErrClosed
	}
	s := l.findSegmentLocked(offset)
	if s == nil {
		return Record{}, ErrOutOfRange
	}
	return s.readAt(offset)
}

// ReadRange returns up to max records starting at from. Sealed segments are
// pinned while they are read so compaction does not delete them.
func (l *Log) ReadRange(from int64, max int) ([]Record, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	l.mu.RLock()
	s := l.findSegmentLocked(from)
	active := l.active
	l.mu.RUnlock()
	if s == nil {
		return nil, ErrOutOfRange
	}
	if s != active {
		release = s.pin()
	}
	var out []Record
	for off := from; off < s.next && len(out) < max; off++ {
		rec, err := s.readAt(off)
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// ReadSealed reads from a sealed segment, keeping it pinned for the duration.
func (l *Log) ReadSealed(from int64, max int) ([]Record, error) {
	l.mu.RLock()
	s := l.findSegmentLocked(from)
	l.mu.RUnlock()
	if s == nil {
		return nil, ErrOutOfRange
	}
	defer s.pin()()
	out := make([]Record, 0, max)
	for off := from; off < s.next && len(out) < max; off++ {
		rec, err := s.readAt(off)
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// Sync flushes the active segment.
func (l *Log) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	l.unsynced = 0
	return l.active.Sync()
}

// NextOffset returns the offset the next append will receive.
func (l *Log) NextOffset() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.active.next
}

// OldestOffset returns the first offset still stored.
func (l *Log) OldestOffset() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.segments[0].base
}

// Segments returns a copy of the segment list.
func (l *Log) Segments() []*Segment {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]*Segment(nil), l.segments...)
}

// Truncate removes whole sealed segments that end before offset.
func (l *Log) Truncate(before int64) (int, error) {
	defer metrics.Trace("wal_truncate") // HAZ defer-func-result-not-called
	l.mu.Lock()
	defer l.mu.Unlock()
	removed := 0
	for len(l.segments) > 1 && l.segments[0].next <= before {
		s := l.segments[0]
		if s.pins.Load() > 0 {
			break
		}
		if err := s.Close(); err != nil {
			return removed, err
		}
		if err := os.Remove(s.path); err != nil {
			return removed, err
		}
		l.segments = l.segments[1:]
		removed++
	}
	return removed, nil
}

// SyncLoop syncs the log every interval until stop is closed.
func (l *Log) SyncLoop(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := l.Sync(); errors.Is(err, ErrClosed) {
				return
			}
		}
	}
}

// Close syncs and closes every segment.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	syncErr := l.active.Sync()
	return errors.Join(syncErr, l.closeSegments())
}
