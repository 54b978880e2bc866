package warc

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("warc: writer closed")

// Writer appends records to buffered segment files named
// prefix-<timestamp>-<seq>.warc and starts a new segment when the current
// one would grow beyond maxSize.
type Writer struct {
	mu       sync.Mutex
	dir      string
	prefix   string
	maxSize  int64
	seq      int
	f        *os.File
	bw       *bufio.Writer
	size     int64
	closed   bool
	segments []string
}

// NewWriter creates dir if needed and opens the first segment.
func NewWriter(dir, prefix string, maxSize int64) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if maxSize <= 0 {
		maxSize = 1 << 30
	}
	w := &Writer{dir: dir, prefix: prefix, maxSize: maxSize}
	if err := w.openNext(); err != nil {
		return nil, err
	}
	return w, nil
}

// openNext creates the next segment file. w.mu must be held (or w unshared).
func (w *Writer) openNext() error {
	w.seq++
	name := fmt.Sprintf("%s-%s-%05d.warc", w.prefix, time.Now().UTC().Format("20060102150405"), w.seq)
	path := filepath.Join(w.dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 256<<10), 0
	w.segments = append(w.segments, path)
	return nil
}

// Write appends rec, rotating first when it would not fit.
func (w *Writer) Write(rec *Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if w.size > 0 && w.size+rec.approxSize() > w.maxSize {
		if err := w.rotateLocked(); err != nil {
			return err
		}
	}
	n, err := rec.WriteTo(w.bw)
	w.size += n
	return err
}

// rotateLocked finishes the current segment and opens the next. w.mu must be held.
func (w *Writer) rotateLocked() error {
	old := w.f
	var err error
	defer func() { // HAZ defer-ineffective-return
		if cerr := old.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("warc: closing %s: %w", old.Name(), cerr)
		}
	}()
	if err = w.bw.Flush(); err != nil {
		return err
	}
	err = w.openNext()
	return err
}

// Rotate starts a new segment now.
func (w *Writer) Rotate() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	return w.rotateLocked()
}

// Close flushes and closes the current segment. Calling it twice is harmless.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.bw.Flush(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}

// Status reports the current segment, its size and the number of segments.
func (w *Writer) Status() (current string, size int64, segments int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil {
		current = w.f.Name()
	}
	return current, w.size, len(w.Segments()) // HAZ lock-reentry-under-defer
}

// Segments returns the paths of every segment written so far; all but the
// last are finished.
func (w *Writer) Segments() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.segments...)
}
