package wal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const segmentExt = ".wal"

// SegmentName returns the file name of the segment whose first record has
// revision firstRev. Names are fixed-width hex so they sort by revision.
func SegmentName(firstRev int64) string {
	return fmt.Sprintf("%016x%s", firstRev, segmentExt)
}

// ParseSegmentName is the inverse of SegmentName.
func ParseSegmentName(name string) (int64, bool) {
	base, ok := strings.CutSuffix(name, segmentExt)
	if !ok || len(base) != 16 {
		return 0, false
	}
	v, err := strconv.ParseInt(base, 16, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// Segments lists the segment files in dir in revision order.
func Segments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if _, ok := ParseSegmentName(e.Name()); ok {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// WriteSegment atomically writes recs to path: temp file, fsync, close,
// rename. The deferred Close and Remove only matter on the error paths; on
// success the file is closed (and checked) explicitly and the temp name no
// longer exists.
func WriteSegment(path string, recs []Record) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".segment-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	bw := bufio.NewWriter(tmp)
	for _, r := range recs {
		if err := Encode(bw, r); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// AppendSegment appends recs to an existing segment and fsyncs it.
func AppendSegment(path string, recs []Record) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()

	bw := bufio.NewWriter(f)
	for _, r := range recs {
		if err := Encode(bw, r); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Writer appends records to size-bounded segments in a directory.
type Writer struct {
	mu       sync.Mutex
	dir      string
	maxSize  int64
	f        *os.File
	bw       *bufio.Writer
	size     int64
	onRotate func(name string)
}

// OpenWriter returns a Writer for dir. onRotate, if set, is called with the
// name of each completed segment, without the writer's lock held.
func OpenWriter(dir string, maxSize int64, onRotate func(name string)) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Writer{dir: dir, maxSize: maxSize, onRotate: onRotate}, nil
}

// Append logs r, rotating to a new segment when the current one is full.
func (w *Writer) Append(r Record) error {
	w.mu.Lock()
	var completed string
	if w.f == nil || w.size >= w.maxSize {
		name, err := w.rotateLocked(r.Rev)
		if err != nil {
			w.mu.Unlock()
			return err
		}
		completed = name
	}
	cw := &countingWriter{w: w.bw}
	if err := Encode(cw, r); err != nil {
		w.mu.Unlock()
		return err
	}
	w.size += cw.n
	hook := w.onRotate
	w.mu.Unlock()

	if completed != "" && hook != nil {
		hook(completed)
	}
	return nil
}

// Rotate closes the current segment and starts a new one at firstRev, e.g.
// right after a snapshot.
func (w *Writer) Rotate(firstRev int64) error {
	w.mu.Lock() // HAZ lock-leaked-on-return
	completed, err := w.rotateLocked(firstRev)
	if err != nil {
		return err
	}
	hook := w.onRotate
	w.mu.Unlock()

	if completed != "" && hook != nil {
		hook(completed)
	}
	return nil
}

// rotateLocked closes the current segment (if any) and opens a new one
// starting at firstRev. It returns the name of the segment it completed.
func (w *Writer) rotateLocked(firstRev int64) (string, error) {
	var completed string
	if w.f != nil {
		completed = filepath.Base(w.f.Name())
		if err := w.closeLocked(); err != nil {
			return "", err
		}
	}
	f, err := os.OpenFile(filepath.Join(w.dir, SegmentName(firstRev)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	w.f = f
	w.bw = bufio.NewWriterSize(f, 64<<10)
	w.size = 0
	return completed, nil
}

// closeLocked flushes, fsyncs and closes the current segment.
func (w *Writer) closeLocked() error {
	err := w.bw.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	err = errors.Join(err, w.f.Close())
	w.f, w.bw = nil, nil
	return err
}

// Sync flushes buffered records and fsyncs the current segment.
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Close flushes and closes the current segment.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	return w.closeLocked()
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
