package segment

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
)

// Stats counts what a Writer has done since it was created.
type Stats struct {
	Records   int64
	Bytes     int64
	Rotations int
}

// Report logs the counters under a label.
func (st Stats) Report(l *log.Logger, label string) {
	l.Printf("%s: %d records, %d bytes, %d rotations", label, st.Records, st.Bytes, st.Rotations)
}

// Writer appends records to numbered segment files in a directory and starts
// a new segment once the current one would exceed max bytes.
type Writer struct {
	mu     sync.Mutex
	dir    string
	seq    int
	f      *os.File
	bw     *bufio.Writer
	size   int64
	max    int64
	dirty  bool
	closed bool
	stats  Stats

	onRotate func(sealed string)
}

// NewWriter opens the first segment in dir.
func NewWriter(dir string, max int64) (*Writer, error) {
	w := &Writer{dir: dir, max: max}
	if err := w.openNext(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) openNext() error {
	w.seq++
	name := filepath.Join(w.dir, fmt.Sprintf("seg-%06d.log", w.seq))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.f = f
	w.bw = bufio.NewWriterSize(f, 64*1024)
	w.size = 0
	return nil
}

// beginUpdate locks the writer for a mutation and returns the function that
// ends the update and unlocks. Use it as `defer w.beginUpdate()()`.
func (w *Writer) beginUpdate() func() {
	w.mu.Lock()
	return func() {
		w.dirty = true
		w.mu.Unlock()
	}
}

// Write appends one record, rotating first if it would not fit.
func (w *Writer) Write(p []byte) (int, error) {
	defer w.beginUpdate()()
	if w.size > 0 && w.size+int64(len(p)) > w.max {
		if err := w.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := w.bw.Write(p)
	w.size += int64(n)
	w.stats.Records++
	w.stats.Bytes += int64(n)
	return n, err
}

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
	w.stats.Rotations++
	return w.openNext()
}

// Rotate closes the current segment and starts a new one.
func (w *Writer) Rotate() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rotateLocked()
}

// Flush pushes buffered records to the current segment file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.dirty {
		return nil
	}
	w.dirty = false
	return w.bw.Flush()
}

// Stats returns a copy of the counters.
func (w *Writer) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

// Close flushes and closes the current segment.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return errors.Join(w.bw.Flush(), w.f.Close())
}

// OnRotate installs a hook that Seal calls with the name of each sealed
// segment. It must be called before the writer is shared.
func (w *Writer) OnRotate(fn func(sealed string)) {
	w.onRotate = fn
}

// Seal closes the current segment, starts a new one and reports the sealed
// segment to the rotate hook.
func (w *Writer) Seal() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	sealed := w.f.Name()
	defer w.onRotate(sealed) // HAZ defer-nil-func
	return w.rotateLocked()
}

// Name returns the file name of the current segment.
func (w *Writer) Name() string {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if w.closed {
		panic("segment: Name called on a closed Writer")
	}
	name := w.f.Name()
	w.mu.Unlock()
	return name
}

// Discard drops the records buffered since the last flush.
func (w *Writer) Discard() int {
	defer w.beginUpdate()()
	n := w.bw.Buffered()
	w.bw.Reset(w.f)
	w.size -= int64(n)
	return n
}

// Size returns the size of the current segment including buffered bytes.
func (w *Writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.size
}
