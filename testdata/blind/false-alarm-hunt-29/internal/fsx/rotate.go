package fsx

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Rotator is an append-only log that starts a new file in dir whenever the
// current one would grow past limit bytes.
type Rotator struct {
	mu      sync.Mutex
	dir     string
	limit   int64
	seq     int
	f       *os.File
	written int64
}

// OpenRotator opens the first log file in dir.
func OpenRotator(dir string, limit int64) (*Rotator, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &Rotator{dir: dir, limit: limit}
	f, err := os.Create(r.name())
	if err != nil {
		return nil, err
	}
	r.f = f
	return r, nil
}

func (r *Rotator) name() string {
	return filepath.Join(r.dir, fmt.Sprintf("log.%04d", r.seq))
}

// Current returns the file being written.
func (r *Rotator) Current() *os.File {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f
}

// rotateLocked closes the current file and opens the next. The caller holds
// r.mu.
func (r *Rotator) rotateLocked() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	r.seq++
	f, err := os.Create(r.name())
	if err != nil {
		return err
	}
	r.f = f
	r.written = 0
	return nil
}

func (r *Rotator) writeLine(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.written > 0 && r.written+int64(len(s))+1 > r.limit {
		if err := r.rotateLocked(); err != nil {
			return err
		}
	}
	n, err := io.WriteString(r.f, s+"\n")
	r.written += int64(n)
	return err
}

// Write implements io.Writer; p is written as one line.
func (r *Rotator) Write(p []byte) (int, error) {
	if err := r.writeLine(string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteLines appends lines and syncs the log to disk when done.
func (r *Rotator) WriteLines(lines []string) error {
	defer r.Current().Sync() // HAZ defer-call-chain
	for _, l := range lines {
		if err := r.writeLine(l); err != nil {
			return err
		}
	}
	return nil
}

// WriteBatch appends lines and returns the result of syncing the file that
// is current at the end.
func (r *Rotator) WriteBatch(lines []string) error {
	for _, l := range lines {
		if err := r.writeLine(l); err != nil {
			return err
		}
	}
	return r.Sync()
}

// Sync flushes the current file to disk.
func (r *Rotator) Sync() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Sync()
}

// Close syncs and closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return firstErr(r.f.Sync(), r.f.Close())
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Rotate starts a new file now, unless the current one is still empty.
func (r *Rotator) Rotate() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.written == 0 {
		return nil
	}
	return r.rotateLocked()
}
