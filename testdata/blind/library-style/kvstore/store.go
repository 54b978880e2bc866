// Package kvstore is an embedded log-structured key-value store with a
// write-ahead log, immutable segments, background compaction and snapshots.
package kvstore

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

var (
	ErrNotFound = errors.New("kvstore: key not found")
	ErrClosed   = errors.New("kvstore: store closed")
	ErrReadOnly = errors.New("kvstore: store is read-only")
)

// Options configures a Store.
type Options struct {
	PinSnapshots    bool
	ReadOnly        bool
	CompactEvery    time.Duration
	CompactionPause time.Duration
	SegmentLimit    int
	Logger          *log.Logger
}

type segment struct {
	id   int
	path string
	size int64
	keys int
}

type wal struct {
	f  *os.File
	bw *bufio.Writer
}

func (w *wal) append(key string, val []byte) error {
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[:4], uint32(len(key)))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(val)))
	if _, err := w.bw.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := w.bw.WriteString(key); err != nil {
		return err
	}
	_, err := w.bw.Write(val)
	return err
}

func (w *wal) sync() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Store is a key-value store rooted at a directory.
type Store struct {
	dir    string
	opts   Options
	logger *log.Logger

	mu       sync.RWMutex
	mem      map[string][]byte
	segments []*segment
	wal      *wal
	closed   bool
	nextSeg  int

	idxMu sync.RWMutex
	index map[string]int

	pins       atomic.Int64
	compacting atomic.Bool
	lastCompac atomic.Int64
	quit       chan struct{}
	wg         sync.WaitGroup
}

// Stats is a snapshot of store counters.
type Stats struct {
	Keys     int
	Segments int
	Pins     int64
}

// Log writes the stats to l.
func (st Stats) Log(l *log.Logger) {
	l.Printf("kvstore: keys=%d segments=%d pins=%d", st.Keys, st.Segments, st.Pins)
}

// Open opens or creates the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "wal.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Store{
		dir:    dir,
		opts:   opts,
		logger: opts.Logger,
		mem:    make(map[string][]byte),
		wal:    &wal{f: f, bw: bufio.NewWriter(f)},
		index:  make(map[string]int),
		quit:   make(chan struct{}),
	}, nil
}

// Has reports whether key is present in the memtable.
func (s *Store) Has(key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.mem[key]
	return ok
}

// Stats returns a snapshot of the store counters.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Keys: len(s.mem), Segments: len(s.segments), Pins: s.pins.Load()}
}

// pin keeps segments from being deleted until the returned func runs.
func (s *Store) pin() func() {
	s.pins.Add(1)
	var once sync.Once
	return func() { once.Do(func() { s.pins.Add(-1) }) }
}

// snapshotView is a pinned, read-only view of the segments.
type snapshotView struct {
	segs    []*segment
	release func()
}

// Release unpins the view.
func (v *snapshotView) Release() {
	v.release()
}

func (s *Store) view() *snapshotView {
	s.mu.RLock()
	segs := append([]*segment(nil), s.segments...)
	s.mu.RUnlock()
	return &snapshotView{segs: segs, release: s.pin()}
}

// trace logs the duration of op when the returned func runs.
func trace(l *log.Logger, op string) func() {
	start := time.Now()
	return func() { l.Printf("kvstore: %s took %s", op, time.Since(start)) }
}

func (s *Store) logf(format string, args ...any) {
	s.logger.Printf("kvstore: "+format, args...)
}

func (s *Store) segmentPath(id int) string {
	return filepath.Join(s.dir, fmt.Sprintf("seg-%06d.dat", id))
}

// writeRecords writes key/value records sorted by key.
func writeRecords(w io.Writer, mem map[string][]byte) (int, error) {
	keys := make([]string, 0, len(mem))
	for k := range mem {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var hdr [8]byte
		binary.LittleEndian.PutUint32(hdr[:4], uint32(len(k)))
		binary.LittleEndian.PutUint32(hdr[4:], uint32(len(mem[k])))
		if _, err := w.Write(hdr[:]); err != nil {
			return 0, err
		}
		if _, err := io.WriteString(w, k); err != nil {
			return 0, err
		}
		if _, err := w.Write(mem[k]); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// readRecords reads records written by writeRecords.
func readRecords(r io.Reader, fn func(key string, val []byte) error) error {
	br := bufio.NewReader(r)
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		buf := make([]byte, binary.LittleEndian.Uint32(hdr[:4])+binary.LittleEndian.Uint32(hdr[4:]))
		if _, err := io.ReadFull(br, buf); err != nil {
			return err
		}
		kl := binary.LittleEndian.Uint32(hdr[:4])
		if err := fn(string(buf[:kl]), buf[kl:]); err != nil {
			return err
		}
	}
}

// Close flushes the WAL and stops background work; it does not wait for it.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	close(s.quit)
	w := s.wal
	s.mu.Unlock()
	return errors.Join(w.sync(), w.f.Close())
}
