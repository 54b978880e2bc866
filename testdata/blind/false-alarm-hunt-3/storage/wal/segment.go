// Package wal implements the write-ahead log of the storage engine: segment
// files, snapshots and compaction.
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

// Record is one log entry.
type Record struct {
	Index uint64
	Term  uint64
	Data  []byte
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt reports a checksum mismatch.
var ErrCorrupt = errors.New("wal: corrupt record")

// Log is an append-only log split into segment files.
type Log struct {
	dir string

	mu       sync.Mutex
	f        *os.File
	w        *bufio.Writer
	segStart uint64
	last     uint64
	size     int64
	maxSize  int64
	closed   bool
}

// Open opens (or creates) the log in dir and positions at its end.
func Open(dir string, maxSize int64) (*Log, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l := &Log{dir: dir, maxSize: maxSize}
	segs, err := l.segments()
	if err != nil {
		return nil, err
	}
	start := uint64(1)
	if len(segs) > 0 {
		start = segs[len(segs)-1]
		last, err := lastIndex(l.segPath(start))
		if err != nil {
			return nil, err
		}
		l.last = last
	}
	if err := l.openSegmentLocked(start); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Log) segPath(start uint64) string {
	return filepath.Join(l.dir, fmt.Sprintf("%020d.wal", start))
}

// segments lists segment start indexes in order.
func (l *Log) segments() ([]uint64, error) {
	ents, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, e := range ents {
		var start uint64
		if !strings.HasSuffix(e.Name(), ".wal") {
			continue
		}
		if _, err := fmt.Sscanf(e.Name(), "%020d.wal", &start); err == nil {
			out = append(out, start)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// openSegmentLocked opens the segment starting at start for appending.
// Caller must hold l.mu (or be the constructor).
func (l *Log) openSegmentLocked(start uint64) error {
	f, err := os.OpenFile(l.segPath(start), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.w, l.segStart, l.size = f, bufio.NewWriter(f), start, st.Size()
	return nil
}

// closeSegmentLocked flushes, syncs and closes the active segment, reporting
// every error. Caller must hold l.mu.
func (l *Log) closeSegmentLocked() error {
	if l.f == nil {
		return nil
	}
	err := l.w.Flush()
	if serr := l.f.Sync(); err == nil {
		err = serr
	}
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f, l.w = nil, nil
	return err
}

// encode writes one framed record: len, crc, index, term, data.
func encode(w io.Writer, r Record) error {
	var hdr [24]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(r.Data)))
	binary.LittleEndian.PutUint64(hdr[8:16], r.Index)
	binary.LittleEndian.PutUint64(hdr[16:24], r.Term)
	crc := crc32.Checksum(hdr[8:24], crcTable)
	crc = crc32.Update(crc, crcTable, r.Data)
	binary.LittleEndian.PutUint32(hdr[4:8], crc)
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(r.Data)
	return err
}

// decode reads one record.
func decode(r io.Reader) (Record, error) {
	var hdr [24]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Record{}, err
	}
	n := binary.LittleEndian.Uint32(hdr[0:4])
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return Record{}, io.ErrUnexpectedEOF
	}
	crc := crc32.Checksum(hdr[8:24], crcTable)
	crc = crc32.Update(crc, crcTable, data)
	if crc != binary.LittleEndian.Uint32(hdr[4:8]) {
		return Record{}, ErrCorrupt
	}
	return Record{
		Index: binary.LittleEndian.Uint64(hdr[8:16]),
		Term:  binary.LittleEndian.Uint64(hdr[16:24]),
		Data:  data,
	}, nil
}

// Append writes records and rolls the segment when it grows too large.
func (l *Log) Append(recs ...Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("wal: closed")
	}
	for _, r := range recs {
		if r.Index != l.last+1 {
			return fmt.Errorf("wal: out of order index %d after %d", r.Index, l.last)
		}
		if err := encode(l.w, r); err != nil {
			return err
		}
		l.last = r.Index
		l.size += int64(24 + len(r.Data))
	}
	if l.size >= l.maxSize {
		return l.rollLocked() // ok: Locked helper, no re-lock
	}
	return l.w.Flush()
}

// rollLocked starts a new segment. Caller must hold l.mu.
func (l *Log) rollLocked() error {
	if err := l.closeSegmentLocked(); err != nil {
		return err
	}
	return l.openSegmentLocked(l.last + 1)
}

// Sync flushes and fsyncs the active segment.
func (l *Log) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.w.Flush(); err != nil {
		return err
	}
	return l.f.Sync()
}

// LastIndex returns the last appended index.
func (l *Log) LastIndex() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// Close closes the log; further appends fail.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return l.closeSegmentLocked()
}

// lastIndex scans a segment for its last valid index. Read-only.
func lastIndex(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var last uint64
	for {
		r, err := decode(br)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return last, nil
		}
		if err != nil {
			return last, err
		}
		last = r.Index
	}
}

// ReadFrom returns all records with index >= from, reading each segment in a
// helper so each file is closed before the next is opened.
func (l *Log) ReadFrom(from uint64) ([]Record, error) {
	segs, err := l.segments()
	if err != nil {
		return nil, err
	}
	var out []Record
	for i, s := range segs {
		if i+1 < len(segs) && segs[i+1] <= from {
			continue
		}
		recs, err := readSegment(l.segPath(s), from)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

func readSegment(path string, from uint64) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only, per-segment helper
	br := bufio.NewReader(f)
	var out []Record
	for {
		r, err := decode(br)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		if r.Index >= from {
			out = append(out, r)
		}
	}
}

// WriteIndex writes a sidecar index file mapping segment starts to names.
func WriteIndex(path string, segs []uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, s := range segs {
		if _, err := fmt.Fprintf(f, "%d\n", s); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndexDurable is WriteIndex with the close error reported.
func WriteIndexDurable(path string, segs []uint64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error joined into the named result
	w := bufio.NewWriter(f)
	for _, s := range segs {
		fmt.Fprintf(w, "%d\n", s)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// TruncateAfter drops records after index by rewriting the last segment.
func (l *Log) TruncateAfter(index uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if index >= l.last {
		return nil
	}
	recs, err := readSegment(l.segPath(l.segStart), l.segStart)
	if err != nil {
		return err
	}
	if err := l.closeSegmentLocked(); err != nil {
		return err
	}
	tmp := l.segPath(l.segStart) + ".tmp"
	if err := rewrite(tmp, recs, index); err != nil {
		return err
	}
	if err := os.Rename(tmp, l.segPath(l.segStart)); err != nil {
		return err
	}
	l.last = index
	return l.openSegmentLocked(l.segStart)
}

// rewrite writes recs up to index into path.
func rewrite(path string, recs []Record, upto uint64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, r := range recs {
		if r.Index > upto {
			break
		}
		if err := encode(w, r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
