package service

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Rotator is an append-only log file that is rotated by size.
type Rotator struct {
	mu      sync.Mutex
	dir     string
	max     int64
	f       *os.File
	written int64
}

// OpenRotator opens (or creates) dir/current.log.
func OpenRotator(dir string, max int64) (*Rotator, error) {
	r := &Rotator{dir: dir, max: max}
	if err := r.openLocked(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) openLocked() error {
	f, err := os.OpenFile(filepath.Join(r.dir, "current.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.written = f, fi.Size()
	return nil
}

// file returns the current output file.
func (r *Rotator) file() *os.File { return r.f }

func (r *Rotator) rotateLocked() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	name := fmt.Sprintf("log-%s.log", time.Now().UTC().Format("20060102T150405.000"))
	if err := os.Rename(filepath.Join(r.dir, "current.log"), filepath.Join(r.dir, name)); err != nil {
		return err
	}
	return r.openLocked()
}

// WriteSynced appends p, rotating first if needed, and syncs the file.
func (r *Rotator) WriteSynced(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.file().Sync() // HAZ defer-call-chain
	if r.written+int64(len(p)) > r.max {
		if err := r.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.written += int64(n)
	return n, err
}

// Write appends p, rotating first if needed, then syncs whatever file is
// current at that point.
func (r *Rotator) Write(p []byte) (n int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.written+int64(len(p)) > r.max {
		if err := r.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err = r.f.Write(p)
	r.written += int64(n)
	if err != nil {
		return n, err
	}
	return n, r.f.Sync()
}

// Close closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
