package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func hashReader(r io.Reader) ([]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// SameFile reports whether the files at a and b have identical contents.
func SameFile(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := hashReader(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	hb, err := hashReader(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ha, hb), nil
}

// fileHash returns the SHA-256 of the file at path.
func fileHash(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return hashReader(f)
}

// SameContents is SameFile with one helper call per file, so every file is closed.
func SameContents(a, b string) (bool, error) {
	ha, err := fileHash(a)
	if err != nil {
		return false, err
	}
	hb, err := fileHash(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ha, hb), nil
}

// Compact rewrites the newest checkpoint of job through a scratch directory and removes
// every older step.
func (s *Store) Compact(job string) error {
	scratch, err := os.MkdirTemp(s.dir, "compact-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch) // HAZ defer-blocking-call
	cp, ok, err := s.Latest(job)
	if err != nil || !ok {
		return err
	}
	staged := filepath.Join(scratch, filepath.Base(s.path(job, cp.Step)))
	src, err := os.Open(s.path(job, cp.Step))
	if err != nil {
		return err
	}
	defer src.Close()
	if err := writeAtomic(staged, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	}); err != nil {
		return fmt.Errorf("compact %s: %w", job, err)
	}
	if err := os.Rename(staged, s.path(job, cp.Step)); err != nil {
		return err
	}
	return s.Prune(job)
}

// CopyLatest copies the newest checkpoint of job to dst atomically.
func (s *Store) CopyLatest(job, dst string) error {
	steps, err := s.Steps(job)
	if err != nil {
		return err
	}
	if len(steps) == 0 {
		return fmt.Errorf("checkpoint: no steps for %s", job)
	}
	src, err := os.Open(s.path(job, steps[len(steps)-1]))
	if err != nil {
		return err
	}
	defer src.Close()
	return writeAtomic(dst, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
}
