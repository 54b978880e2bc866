// Package audit writes the append-only audit log of flag changes: one JSON
// object per line, rotated by size, old files compressed with gzip.
package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("audit: writer closed")

// Entry is one audit record.
type Entry struct {
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor,omitempty"`
	Action string    `json:"action"`
	Key    string    `json:"key"`
	Error  string    `json:"error,omitempty"`
}

// Writer appends entries to a log file, rotating it once it exceeds maxSize.
type Writer struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	bw      *bufio.Writer
	size    int64
	maxSize int64
	now     func() time.Time
}

// Open opens (or creates) the audit log at path for appending.
func Open(path string, maxSize int64) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Writer{
		path:    path,
		f:       f,
		bw:      bufio.NewWriterSize(f, 32<<10),
		size:    st.Size(),
		maxSize: maxSize,
		now:     time.Now,
	}, nil
}

// Write appends one entry.
func (w *Writer) Write(e Entry) error {
	if e.Time.IsZero() {
		e.Time = w.now().UTC()
	}
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	if w.maxSize > 0 && w.size+int64(len(line)) > w.maxSize {
		if err := w.rotateLocked(); err != nil {
			return fmt.Errorf("audit: rotate: %w", err)
		}
	}
	n, err := w.bw.Write(line)
	w.size += int64(n)
	return err
}

// WriteBatch appends entries, flushes them and fsyncs the log once for the
// whole batch instead of once per entry.
func (w *Writer) WriteBatch(entries []Entry) error {
	defer w.file().Sync() // HAZ defer-call-chain
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	return w.bw.Flush()
}

func (w *Writer) file() *os.File {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.f
}

// rotateLocked renames the current file to path.<timestamp> and starts a new one.
func (w *Writer) rotateLocked() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	rotated := fmt.Sprintf("%s.%s", w.path, w.now().UTC().Format("20060102T150405.000"))
	if err := os.Rename(w.path, rotated); err != nil {
		return err
	}
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		w.f = nil
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 32<<10), 0
	return nil
}

// Flush writes buffered entries to the file and syncs it.
func (w *Writer) Flush() error {
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

// Reopen closes and reopens the log file, for use after an external tool
// such as logrotate has moved it away (the server calls it on SIGHUP).
func (w *Writer) Reopen() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	if err := w.Flush(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		w.f = nil
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		w.f = nil
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 32<<10), st.Size()
	return nil
}

// CopyTo writes a copy of the current log to dst (for support bundles).
func (w *Writer) CopyTo(dst string) error {
	if err := w.Flush(); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	in, err := os.Open(w.path)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(out, in)
	return err
}

// Close flushes and closes the log.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	ferr := w.bw.Flush()
	cerr := w.f.Close()
	w.f = nil
	return errors.Join(ferr, cerr)
}

// Async records entries without blocking the caller: entries are queued and a
// background goroutine writes them. When the queue is full entries are dropped
// and counted.
type Async struct {
	w       *Writer
	queue   chan Entry
	done    chan struct{}
	dropped atomic.Int64
}

// NewAsync starts the background writer for w.
func NewAsync(w *Writer, size int) *Async {
	a := &Async{w: w, queue: make(chan Entry, size), done: make(chan struct{})}
	go a.run()
	return a
}

func (a *Async) run() {
	defer close(a.done)
	for e := range a.queue {
		if err := a.w.Write(e); err != nil {
			log.Printf("audit: write %s %s: %v", e.Action, e.Key, err)
		}
	}
}

// Record queues an entry; it implements store.AuditSink. It never blocks.
// A nil *Async discards records, so auditing can be left unconfigured.
func (a *Async) Record(action, key string, err error) {
	if a == nil {
		return
	}
	e := Entry{Time: time.Now().UTC(), Action: action, Key: key}
	if err != nil {
		e.Error = err.Error()
	}
	select {
	case a.queue <- e:
	default:
		a.dropped.Add(1)
	}
}

// Close drains the queue and closes the underlying writer. Record must not be
// called after Close.
func (a *Async) Close() error {
	close(a.queue)
	<-a.done
	return a.w.Close()
}
