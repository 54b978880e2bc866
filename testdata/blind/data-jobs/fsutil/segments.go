package fsutil

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Segments reads the numbered segment files of one export as a single stream.
type Segments struct {
	paths []string
	i     int
	f     *os.File
}

// NewSegments returns a reader over paths in order.
func NewSegments(paths []string) *Segments { return &Segments{paths: paths} }

func (s *Segments) current() *os.File { return s.f }

func (s *Segments) open() error {
	if s.i >= len(s.paths) {
		return io.EOF
	}
	f, err := os.Open(s.paths[s.i])
	if err != nil {
		return err
	}
	s.f = f
	return nil
}

// advance moves to the next segment, closing the current one.
// On the last segment it reports false and leaves the file open for the caller to close.
func (s *Segments) advance() (bool, error) {
	if s.i+1 >= len(s.paths) {
		return false, nil
	}
	if err := s.f.Close(); err != nil {
		return false, err
	}
	s.f = nil
	s.i++
	return true, s.open()
}

// CopyTo streams every segment into w.
func (s *Segments) CopyTo(w io.Writer) (int64, error) {
	if err := s.open(); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, nil
		}
		return 0, err
	}
	defer s.current().Close() // HAZ defer-call-chain
	var total int64
	for {
		n, err := io.Copy(w, s.current())
		total += n
		if err != nil {
			return total, err
		}
		more, err := s.advance()
		if err != nil || !more {
			return total, err
		}
	}
}

// Close closes the open segment, if any.
func (s *Segments) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// ConcatFiles appends the contents of paths to w in order.
func ConcatFiles(w io.Writer, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	f, err := os.Open(paths[0])
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for i := 0; ; i++ {
		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("%s: %w", paths[i], err)
		}
		if i+1 == len(paths) {
			return nil
		}
		f, err = os.Open(paths[i+1])
		if err != nil {
			return err
		}
	}
}

// CatFiles appends the contents of paths to w, one open file at a time.
func CatFiles(w io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		n, err := catFile(w, p)
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", p, err)
		}
	}
	return total, nil
}

func catFile(w io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// SplitFile copies src into numbered parts of at most size bytes and returns their names.
func SplitFile(src, prefix string, size int64) ([]string, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var parts []string
	for i := 0; ; i++ {
		name := fmt.Sprintf("%s.%04d", prefix, i)
		n, err := WriteAtomic(name, 0o644, io.LimitReader(in, size))
		if err != nil {
			return parts, err
		}
		if n == 0 {
			_ = os.Remove(name)
			return parts, nil
		}
		parts = append(parts, name)
		if n < size {
			return parts, nil
		}
	}
}
