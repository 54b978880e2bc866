package wal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

const segmentExt = ".wal"

// ErrClosed is returned by a Writer after Close.
var ErrClosed = errors.New("wal: writer closed")

func segmentName(first uint64) string {
	return fmt.Sprintf("%020d%s", first, segmentExt)
}

// Writer appends records to the active segment, rotating it when it
// grows past maxSize.
type Writer struct {
	mu      sync.Mutex
	dir     string
	maxSize int64
	f       *os.File
	bw      *bufio.Writer
	size    int64
	seq     uint64
}

// Open starts a new segment in dir whose first record will be nextSeq.
func Open(dir string, maxSize int64, nextSeq uint64) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := openSegment(dir, nextSeq)
	if err != nil {
		return nil, err
	}
	return &Writer{
		dir:     dir,
		maxSize: maxSize,
		f:       f,
		bw:      bufio.NewWriterSize(f, 64<<10),
		seq:     nextSeq,
	}, nil
}

func openSegment(dir string, first uint64) (*os.File, error) {
	path := filepath.Join(dir, segmentName(first))
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

// Append logs a write and returns its sequence number. The record is
// buffered; call Sync to make it durable.
func (w *Writer) Append(key string, value []byte) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, ErrClosed
	}
	if w.size >= w.maxSize {
		if err := w.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := encodeRecord(w.bw, Record{Seq: w.seq, Key: key, Value: value})
	w.size += int64(n)
	if err != nil {
		return 0, err
	}
	seq := w.seq
	w.seq++
	return seq, nil
}

// rotateLocked seals the active segment and opens the next one.
// w.mu must be held.
func (w *Writer) rotateLocked() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	f, err := openSegment(w.dir, w.seq)
	if err != nil {
		w.f = nil
		return err
	}
	w.f = f
	w.bw.Reset(f)
	w.size = 0
	return nil
}

// ForceRotate seals the active segment now; kvd calls it on SIGHUP so
// operators can ship the log. A writer that cannot open its next segment
// is unusable, so that failure panics.
func (w *Writer) ForceRotate() {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if w.f == nil {
		w.mu.Unlock()
		return
	}
	if err := w.rotateLocked(); err != nil {
		panic(fmt.Sprintf("wal: rotate %s: %v", w.dir, err))
	}
	w.mu.Unlock()
}

// Sync flushes buffered records and fsyncs the active segment.
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Seq returns the sequence number the next record will get.
func (w *Writer) Seq() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

// Close flushes, syncs and closes the active segment.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.bw.Flush()
	if serr := w.f.Sync(); err == nil {
		err = serr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}
