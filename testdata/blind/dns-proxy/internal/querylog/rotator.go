package querylog

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// segment describes the file currently written to. sealed counts the
// entries known to belong to complete batches.
type segment struct {
	path    string
	entries atomic.Int64
	sealed  atomic.Int64
}

func (s *segment) seal() { s.sealed.Store(s.entries.Load()) }

// Rotator is an io.Writer over <dir>/<base>.log that renames the file to
// <base>-<timestamp>.log once it exceeds maxBytes and keeps the newest keep
// rotated files.
type Rotator struct {
	mu       sync.Mutex
	dir      string
	base     string
	maxBytes int64
	keep     int
	compress bool

	f    *os.File
	w    *bufio.Writer
	size int64
	cur  *segment
}

// NewRotator opens (or creates) the active log file.
func NewRotator(dir, base string, maxBytes int64, keep int) (*Rotator, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &Rotator{dir: dir, base: base, maxBytes: maxBytes, keep: keep, compress: true}
	if err := r.openSegment(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) path() string { return filepath.Join(r.dir, r.base+".log") }

// openSegment opens the active file for appending. It is kept open until
// the next rotation, so there is nothing to defer here.
func (r *Rotator) openSegment() error {
	f, err := os.OpenFile(r.path(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.w, r.size = f, bufio.NewWriterSize(f, 64<<10), fi.Size()
	r.cur = &segment{path: r.path()}
	return nil
}

// Write appends p, rotating first if p would overflow the active file.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.maxBytes {
		if err := r.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := r.w.Write(p)
	r.size += int64(n)
	r.cur.entries.Add(1)
	return n, err
}

// rotateLocked closes the active file, renames it and opens a new one.
// The caller holds r.mu.
func (r *Rotator) rotateLocked() error {
	if err := r.w.Flush(); err != nil {
		return err
	}
	if err := r.f.Close(); err != nil {
		return err
	}
	stamp := time.Now().UTC().Format("20060102T150405.000")
	rotated := filepath.Join(r.dir, fmt.Sprintf("%s-%s.log", r.base, stamp))
	if err := os.Rename(r.path(), rotated); err != nil {
		return err
	}
	if err := r.openSegment(); err != nil {
		return err
	}
	if r.compress {
		go func() {
			if err := compressSegment(rotated); err != nil {
				log.Printf("querylog: compress %s: %v", rotated, err)
			}
		}()
	}
	return pruneSegments(r.dir, r.base, r.keep)
}

// active returns the segment currently written to.
func (r *Rotator) active() *segment {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// WriteEntries appends a batch and marks it complete in the segment index
// used by the log shipper.
func (r *Rotator) WriteEntries(entries []Entry) error {
	defer r.active().seal() // HAZ defer-call-chain
	buf := make([]byte, 0, 256)
	for _, e := range entries {
		buf = e.AppendTo(buf[:0])
		if _, err := r.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes buffered entries to the active file.
func (r *Rotator) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w == nil {
		return nil
	}
	return r.w.Flush()
}

// Close flushes and closes the active file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f, r.w = nil, nil
	return err
}

// SetMaxBytes changes the rotation threshold.
func (r *Rotator) SetMaxBytes(n int64) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if n < 4096 {
		r.mu.Unlock()
		return fmt.Errorf("querylog: rotation size %d below 4096", n)
	}
	r.maxBytes = n
	if r.size > n {
		log.Printf("querylog: active file already above new limit; rotating on next write")
	}
	return nil
}
