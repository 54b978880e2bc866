// Package rotate is a size-based rotating log writer: it appends to
// <dir>/<base>.log and, once that exceeds MaxSize, renames it to a
// timestamped segment and starts a new file, keeping the newest segments.
package rotate

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrClosed is returned by a closed Rotator.
var ErrClosed = errors.New("rotate: writer closed")

const stampLayout = "20060102T150405.000000000"

// Rotator is an io.WriteCloser safe for concurrent use.
type Rotator struct {
	dir     string
	base    string
	maxSize int64
	keep    int
	now     func() time.Time

	mu     sync.Mutex
	f      *os.File
	size   int64
	closed bool
}

// New opens (appending to) the current log file in dir.
func New(dir, base string, maxSize int64, keep int) (*Rotator, error) {
	if maxSize <= 0 {
		return nil, fmt.Errorf("rotate: max size must be positive, got %d", maxSize)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &Rotator{dir: dir, base: base, maxSize: maxSize, keep: keep, now: time.Now}
	if err := r.openCurrentLocked(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) currentPath() string {
	return filepath.Join(r.dir, r.base+".log")
}

func (r *Rotator) segmentPath(t time.Time) string {
	return filepath.Join(r.dir, r.base+"-"+t.UTC().Format(stampLayout)+".log")
}

// openCurrentLocked opens the current file for appending. r.mu is held or
// the Rotator is not shared yet.
func (r *Rotator) openCurrentLocked() error {
	f, err := os.OpenFile(r.currentPath(), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		return errors.Join(err, f.Close())
	}
	r.f, r.size = f, info.Size()
	return nil
}

// Write appends p, rotating first if p would push the file over MaxSize.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.maxSize {
		if err := r.Rotate(); err != nil { // HAZ lock-reentry-under-defer
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// WriteLine appends line plus a newline as one write.
func (r *Rotator) WriteLine(line string) error {
	if !strings.HasSuffix(line, "\n") {
		line += "\n"
	}
	_, err := r.Write([]byte(line))
	return err
}

// Append writes p like Write but never splits a burst of records across
// segments: the check and the write happen under one lock.
func (r *Rotator) Append(records ...[]byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	var total int64
	for _, rec := range records {
		total += int64(len(rec))
	}
	if r.size > 0 && r.size+total > r.maxSize {
		if err := r.rotateLocked(); err != nil {
			return err
		}
	}
	for _, rec := range records {
		n, err := r.f.Write(rec)
		r.size += int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}

// Rotate closes the current file, renames it to a segment and starts a new
// one.
func (r *Rotator) Rotate() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	return r.rotateLocked()
}

// rotateLocked does the work of Rotate. r.mu is held.
func (r *Rotator) rotateLocked() error {
	if err := r.f.Sync(); err != nil {
		return err
	}
	if err := r.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.currentPath(), r.segmentPath(r.now())); err != nil {
		return err
	}
	if err := r.openCurrentLocked(); err != nil {
		return err
	}
	return r.pruneLocked(r.keep)
}

// Segments returns the rotated segments, oldest first, including the
// compressed ones.
func (r *Rotator) Segments() ([]string, error) {
	segs, err := filepath.Glob(filepath.Join(r.dir, r.base+"-*.log*"))
	if err != nil {
		return nil, err
	}
	slices.Sort(segs)
	return segs, nil
}

// All yields the segments oldest first and then the current file.
func (r *Rotator) All() iter.Seq[string] {
	return func(yield func(string) bool) {
		segs, err := r.Segments()
		if err != nil {
			return
		}
		for _, s := range segs {
			if !yield(s) {
				return
			}
		}
		yield(r.currentPath())
	}
}

// pruneLocked removes all but the newest keep segments. r.mu is held.
func (r *Rotator) pruneLocked(keep int) error {
	segs, err := r.Segments()
	if err != nil || keep <= 0 || len(segs) <= keep {
		return err
	}
	var errs []error
	for _, seg := range segs[:len(segs)-keep] {
		if err := os.Remove(seg); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Prune removes all but the newest keep segments.
func (r *Rotator) Prune(keep int) error {
	segs, err := r.Segments()
	if err != nil || len(segs) <= keep {
		return err
	}
	for _, seg := range segs[:len(segs)-keep] {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if err := os.Remove(seg); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// SetKeep changes how many segments are kept and prunes accordingly.
func (r *Rotator) SetKeep(keep int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keep = keep
	return r.pruneLocked(keep)
}

// SetMaxSize changes the rotation threshold.
func (r *Rotator) SetMaxSize(n int64) {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	r.maxSize = n
}

// Size returns the size of the current file.
func (r *Rotator) Size() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.size
}

// Sync flushes the current file to stable storage.
func (r *Rotator) Sync() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	return r.f.Sync()
}

// Close syncs and closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if r.closed {
		return ErrClosed
	}
	r.closed = true
	err := errors.Join(r.f.Sync(), r.f.Close())
	r.mu.Unlock()
	return err
}

// Closed reports whether Close has been called.
func (r *Rotator) Closed() bool {
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	return closed
}
