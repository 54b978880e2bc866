package logx

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// FileSink appends to a file and rotates it when it grows past a limit.
type FileSink struct {
	mu   sync.Mutex
	path string
	f    *os.File
	size int64
	max  int64
}

// OpenFileSink opens path for appending, creating it if needed.
func OpenFileSink(path string, maxBytes int64) (*FileSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &FileSink{path: path, f: f, size: st.Size(), max: maxBytes}, nil
}

// Write appends p, rotating first when p would push the file past the limit.
func (s *FileSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return 0, ErrClosed
	}
	if s.max > 0 && s.size > 0 && s.size+int64(len(p)) > s.max {
		if err := s.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := s.f.Write(p)
	s.size += int64(n)
	return n, err
}

// Rotate forces a rotation.
func (s *FileSink) Rotate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	return s.rotateLocked()
}

// rotateLocked closes the current file, renames it with a timestamp suffix
// and opens a fresh one. s.mu must be held; it takes no locks itself.
func (s *FileSink) rotateLocked() error {
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("logx: close before rotate: %w", err)
	}
	backup := s.path + "." + time.Now().UTC().Format("20060102T150405.000")
	renameErr := os.Rename(s.path, backup)
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		s.f = nil
		return err
	}
	s.f = f
	if renameErr == nil {
		s.size = 0
	}
	return renameErr
}

// Sync commits the file to stable storage.
func (s *FileSink) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	return s.f.Sync()
}

// Close syncs and closes the file, reporting either error.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	f := s.f
	s.f = nil
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Archive compresses a rotated log file src into dst and removes src.
func Archive(src, dst string) (err error) {
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
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err = io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// Compress gzips src into a new file dst. The gzip writer's close is
// registered after the file's, so it runs first and its trailer reaches the
// file before the file is closed; both errors reach the caller.
func Compress(dst string, src io.Reader) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	defer func() {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(zw, src)
	return err
}
