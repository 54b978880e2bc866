// Package accesslog writes the HTTP access log and the admin audit trail,
// rotating and compressing old segments.
package accesslog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/fah20/internal/web"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("accesslog: closed")

// Entry is one served request.
type Entry struct {
	Time       time.Time
	Method     string
	Path       string
	Status     int
	Bytes      int64
	Duration   time.Duration
	RemoteAddr string
}

// Format renders e in the combined-ish format the log shippers expect.
func (e Entry) Format() string {
	return fmt.Sprintf("%s %s %q %d %d %.3f\n",
		e.Time.UTC().Format(time.RFC3339), e.RemoteAddr, e.Method+" "+e.Path, e.Status, e.Bytes, e.Duration.Seconds())
}

// Writer appends entries to a file through a buffer and rotates the file
// when it grows past maxSize.
type Writer struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	bw      *bufio.Writer
	size    int64
	maxSize int64
}

// Open opens (or creates) the log at path for appending.
func Open(path string, maxSize int64) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Writer{path: path, f: f, bw: bufio.NewWriterSize(f, 64<<10), size: st.Size(), maxSize: maxSize}, nil
}

// Write appends one entry.
func (w *Writer) Write(e Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return ErrClosed
	}
	n, err := w.bw.WriteString(e.Format())
	w.size += int64(n)
	if err != nil {
		return err
	}
	if w.size >= w.maxSize {
		return w.rotateLocked()
	}
	return nil
}

// Flush pushes buffered entries to the file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	return w.bw.Flush()
}

// Close flushes and closes the log; both errors are reported.
func (w *Writer) Close() (err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	defer func() {
		err = errors.Join(err, w.f.Close())
		w.f, w.bw = nil, nil
	}()
	return w.bw.Flush()
}

// Reopen closes and reopens the log file after an external logrotate has
// moved it (on SIGHUP).
func (w *Writer) Reopen() error {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if w.f != nil {
		if err := w.bw.Flush(); err != nil {
			return err
		}
		if err := w.f.Close(); err != nil {
			w.f, w.bw = nil, nil
			w.mu.Unlock()
			return err
		}
	}
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		w.f, w.bw = nil, nil
		w.mu.Unlock()
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 64<<10), 0
	w.mu.Unlock()
	return nil
}

// Snapshot copies the current log to dst for a support bundle. The copy is
// made under a temporary name and renamed into place.
func (w *Writer) Snapshot(dst string) error {
	if err := w.Flush(); err != nil {
		return err
	}
	tmp := dst + ".partial"
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("accesslog: removing %s: %w", tmp, err)
		}
		return nil
	}()
	if err := copyFile(w.path, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// copyFile copies src to a new file dst, reporting the close error of dst.
func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

// rotateLocked renames the full log aside and starts a new one. w.mu is held.
func (w *Writer) rotateLocked() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		w.f, w.bw = nil, nil
		return err
	}
	rotated := w.path + "." + time.Now().UTC().Format("20060102T150405")
	if err := os.Rename(w.path, rotated); err != nil {
		w.f, w.bw = nil, nil
		return err
	}
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		w.f, w.bw = nil, nil
		return err
	}
	w.f, w.bw, w.size = f, bufio.NewWriterSize(f, 64<<10), 0
	return nil
}

// Middleware logs every request to w once the handler has returned.
func Middleware(w *Writer, onErr func(error)) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := web.NewResponseWriter(rw)
			next.ServeHTTP(rec, r)
			err := w.Write(Entry{
				Time: start, Method: r.Method, Path: r.URL.Path, Status: rec.Status(),
				Bytes: rec.Size(), Duration: time.Since(start), RemoteAddr: r.RemoteAddr,
			})
			if err != nil && onErr != nil {
				onErr(err)
			}
		})
	}
}
