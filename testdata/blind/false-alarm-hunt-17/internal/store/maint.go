package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// observe records the outcome of a maintenance operation.
func (s *Store) observe(op string, err error) {
	if err != nil {
		s.failures.Add(1)
		s.logger.Warn("store maintenance failed", "op", op, "err", err)
		return
	}
	s.logger.Debug("store maintenance done", "op", op)
}

// Failures returns the number of failed maintenance operations.
func (s *Store) Failures() int64 {
	return s.failures.Load()
}

// lockExclusive takes the on-disk maintenance lock and returns its release.
func (s *Store) lockExclusive() (func() error, error) {
	p := filepath.Join(s.root, ".lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() error { return os.Remove(p) }, nil
}

// Rebuild rescans the blob directory and recomputes the index from the
// files. It returns the number of blobs found.
func (s *Store) Rebuild(ctx context.Context) (n int, err error) {
	defer s.observe("rebuild", err) // HAZ defer-eager-evaluation
	entries, err := os.ReadDir(s.blobDir())
	if err != nil {
		return 0, err
	}
	fresh := make(map[string]Meta, len(entries))
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m, err := s.hashFile(e.Name())
		if err != nil {
			return n, err
		}
		fresh[e.Name()] = m
		n++
	}
	s.mu.Lock()
	s.index = fresh
	s.mu.Unlock()
	return n, nil
}

// GC removes blob files that are not in the index and are older than grace.
func (s *Store) GC(grace time.Duration) (removed int, err error) {
	start := time.Now()
	defer func() {
		s.observe("gc", err)
		s.logger.Info("gc finished", "removed", removed, "took", time.Since(start))
	}()
	release := func() error { return nil }
	if s.opts.Exclusive {
		r, err := s.lockExclusive()
		if err != nil {
			return 0, err
		}
		release = r
	}
	defer func() { err = errors.Join(err, release()) }()

	s.mu.RLock()
	known := maps.Clone(s.index)
	s.mu.RUnlock()
	entries, err := os.ReadDir(s.blobDir())
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if _, ok := known[e.Name()]; ok || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return removed, err
		}
		if time.Since(info.ModTime()) < grace {
			continue
		}
		if err := os.Remove(filepath.Join(s.blobDir(), e.Name())); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// Compact removes the temporary files left behind by interrupted writes.
func (s *Store) Compact() (removed int, err error) {
	var release func() error
	if s.opts.Exclusive {
		r, err := s.lockExclusive()
		if err != nil {
			return 0, err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	tmps, err := filepath.Glob(filepath.Join(s.blobDir(), ".put-*"))
	if err != nil {
		return 0, err
	}
	for _, p := range tmps {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// ImportDir stores every regular file of dir under its base name and returns
// how many it imported.
func (s *Store) ImportDir(dir string) (int, error) {
	unlock, err := s.lockExclusive()
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		err = errors.Join(err, unlock())
	}()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := s.importFile(filepath.Join(dir, e.Name()), e.Name()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Store) importFile(path, key string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.Put(key, f)
	return err
}
