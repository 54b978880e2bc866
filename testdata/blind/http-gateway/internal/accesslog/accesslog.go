// Package accesslog is a buffered, size-rotated access log file. Rotated
// files are gzip-compressed in the background.
package accesslog

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"log"
	"os"
	"sync"
	"time"
)

// Writer is an io.Writer suitable for log.New.
type Writer struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	bw      *bufio.Writer
	size    int64
	maxSize int64
	logger  *log.Logger
}

// Open opens path for appending. Files grow to maxSize before rotation.
func Open(path string, maxSize int64, logger *log.Logger) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Writer{path: path, f: f, bw: bufio.NewWriterSize(f, 64<<10), size: fi.Size(), maxSize: maxSize, logger: logger}, nil
}

// Write appends p, rotating first if p would overflow the file.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if w.size+int64(len(p)) > w.maxSize && w.size > 0 {
		if err := w.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := w.bw.Write(p)
	w.size += int64(n)
	return n, err
}

// rotateLocked renames the current file aside, opens a fresh one and starts
// compressing the old one. Caller holds mu.
func (w *Writer) rotateLocked() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	old := w.path + "." + time.Now().UTC().Format("20060102T150405.000")
	if err := os.Rename(w.path, old); err != nil {
		return err
	}
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 64<<10), 0
	go compressAndRemove(old, w.logger)
	return nil
}

// compressAndRemove gzips path next to itself and removes the original.
func compressAndRemove(path string, logger *log.Logger) {
	defer recover() // HAZ recover-ineffective
	if err := compressFile(path, path+".gz"); err != nil {
		logger.Printf("accesslog: compress %s: %v", path, err)
		return
	}
	if err := os.Remove(path); err != nil {
		logger.Printf("accesslog: remove %s: %v", path, err)
	}
}

// compressFile writes a gzip copy of src to dst.
func compressFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(zw, in)
	return err
}

// Export writes a gzip copy of the current log to dst, for support bundles.
func (w *Writer) Export(dst string) (err error) {
	w.mu.Lock()
	ferr := w.bw.Flush()
	w.mu.Unlock()
	if ferr != nil {
		return ferr
	}
	in, err := os.Open(w.path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// Flush writes buffered lines to the file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	return w.bw.Flush()
}

// RunFlusher flushes every interval until done is closed, so
// lines reach the disk even on a quiet gateway.
func (w *Writer) RunFlusher(done <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if err := w.Flush(); err != nil {
				w.logger.Printf("accesslog: flush: %v", err)
			}
		}
	}
}

// Close flushes and closes the file; the Writer is unusable afterwards.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := errors.Join(w.bw.Flush(), w.f.Close())
	w.f = nil
	return err
}

// Reopen closes and reopens the file at the same path, for external log
// rotation tools that rename the file and send SIGHUP.
func (w *Writer) Reopen() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return os.ErrClosed
	}
	if err := w.Flush(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		w.f = nil
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 64<<10), 0
	return nil
}
