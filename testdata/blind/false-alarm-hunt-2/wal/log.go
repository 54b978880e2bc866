// Package wal implements a segmented write-ahead log with replay and compaction.
package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("wal: closed")

// ErrCorrupt is returned for a record whose checksum does not match.
var ErrCorrupt = errors.New("wal: corrupt record")

const segSuffix = ".wal"

// Log is an append-only, segmented log.
type Log struct {
	dir     string
	maxSize int64

	mu     sync.Mutex
	seg    *os.File
	w      *bufio.Writer
	index  int
	size   int64
	closed bool
}

// Open opens or creates the log in dir, appending to the newest segment.
func Open(dir string, maxSize int64) (*Log, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	segs, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{dir: dir, maxSize: maxSize}
	if len(segs) > 0 {
		l.index = segs[len(segs)-1]
	}
	if err := l.openSegmentLocked(); err != nil {
		return nil, err
	}
	return l, nil
}

func segmentPath(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("%08d%s", i, segSuffix))
}

func listSegments(dir string) ([]int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, segSuffix) {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(strings.TrimSuffix(name, segSuffix), "%d", &i); err == nil {
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out, nil
}

// openSegmentLocked opens segment l.index for appending. l.mu must be held.
func (l *Log) openSegmentLocked() error {
	f, err := os.OpenFile(segmentPath(l.dir, l.index), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return errors.Join(err, f.Close())
	}
	l.seg, l.w, l.size = f, bufio.NewWriter(f), st.Size()
	return nil
}

// closeSegmentLocked flushes, syncs and closes the current segment. l.mu must be held.
func (l *Log) closeSegmentLocked() error {
	if l.seg == nil {
		return nil
	}
	err := errors.Join(l.w.Flush(), l.seg.Sync(), l.seg.Close())
	l.seg, l.w = nil, nil
	return err
}

func (l *Log) rotateLocked() error {
	if err := l.closeSegmentLocked(); err != nil {
		return fmt.Errorf("wal: rotate: %w", err)
	}
	l.index++
	return l.openSegmentLocked()
}

// Append writes one record.
func (l *Log) Append(rec []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	need := int64(8 + len(rec))
	if l.size > 0 && l.size+need > l.maxSize {
		if err := l.rotateLocked(); err != nil {
			return err
		}
	}
	if err := writeRecord(l.w, rec); err != nil {
		return err
	}
	l.size += need
	return nil
}

// AppendBatch writes several records and syncs once.
func (l *Log) AppendBatch(recs [][]byte) error {
	for _, r := range recs {
		if err := l.Append(r); err != nil {
			return err
		}
	}
	return l.Sync()
}

// Sync flushes and fsyncs the current segment.
func (l *Log) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	if err := l.w.Flush(); err != nil {
		return err
	}
	return l.seg.Sync()
}

// Close syncs and closes the log.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return l.closeSegmentLocked()
}

// Index returns the current segment index.
func (l *Log) Index() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.index
}

func writeRecord(w io.Writer, rec []byte) error {
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(rec)))
	binary.LittleEndian.PutUint32(hdr[4:8], crc32.ChecksumIEEE(rec))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(rec)
	return err
}

func readRecord(r io.Reader) ([]byte, error) {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[0:4])
	sum := binary.LittleEndian.Uint32(hdr[4:8])
	rec := make([]byte, n)
	if _, err := io.ReadFull(r, rec); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if crc32.ChecksumIEEE(rec) != sum {
		return nil, ErrCorrupt
	}
	return rec, nil
}

// Replay calls fn for every record in every segment, oldest first.
func Replay(dir string, fn func(seg int, rec []byte) error) error {
	segs, err := listSegments(dir)
	if err != nil {
		return err
	}
	for _, i := range segs {
		if err := replaySegment(segmentPath(dir, i), func(rec []byte) error { return fn(i, rec) }); err != nil {
			return fmt.Errorf("wal: segment %d: %w", i, err)
		}
	}
	return nil
}

func replaySegment(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	r := bufio.NewReader(f)
	for {
		rec, err := readRecord(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil // torn write at the tail
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// SegmentSizes returns the size of each segment file.
func SegmentSizes(dir string) (map[int]int64, error) {
	segs, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[int]int64, len(segs))
	for _, i := range segs {
		err := func() error {
			f, err := os.Open(segmentPath(dir, i))
			if err != nil {
				return err
			}
			defer f.Close() // ok: read-only, inside a per-iteration closure
			st, err := f.Stat()
			if err != nil {
				return err
			}
			out[i] = st.Size()
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Truncate removes segments older than keep.
func (l *Log) Truncate(keep int) error {
	l.mu.Lock()
	cur := l.index
	l.mu.Unlock()
	segs, err := listSegments(l.dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, i := range segs {
		if i < keep && i != cur {
			errs = append(errs, os.Remove(segmentPath(l.dir, i)))
		}
	}
	return errors.Join(errs...)
}
