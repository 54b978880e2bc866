package spool

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// lockDir takes the spool's compaction lock file and returns its release.
func (s *Spool) lockDir() (func(), error) {
	p := filepath.Join(s.dir, "COMPACT.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spool: compaction already running: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}

// Compact merges unpinned sealed segments pairwise. With force the lock
// file is not taken (used by the offline tool, which holds it already).
func (s *Spool) Compact(force bool) (int, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if !force {
		r, err := s.lockDir()
		if err != nil {
			return 0, err
		}
		release = r
	}
	return s.compactUnlocked()
}

// CompactNow is Compact with the release registered once it is known.
func (s *Spool) CompactNow() (int, error) {
	release, err := s.lockDir()
	if err != nil {
		return 0, err
	}
	defer release()
	return s.compactUnlocked()
}

// compactUnlocked does the merging; the caller holds the lock file.
func (s *Spool) compactUnlocked() (int, error) {
	names := s.Sealed()
	merged := 0
	for i := 0; i+1 < len(names); i += 2 {
		a, b := names[i], names[i+1]
		if s.pinned(a) || s.pinned(b) {
			continue
		}
		if err := s.mergeSegments(a, b); err != nil {
			return merged, err
		}
		merged++
	}
	return merged, nil
}

// mergeSegments appends b to a and removes b.
func (s *Spool) mergeSegments(a, b string) error {
	tmp := filepath.Join(s.dir, a+".merge")
	defer func() error { // HAZ defer-ineffective-return
		if _, err := os.Stat(tmp); err == nil {
			return os.Remove(tmp)
		}
		return nil
	}()
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	for _, n := range []string{a, b} {
		data, err := os.ReadFile(filepath.Join(s.dir, n))
		if err != nil {
			out.Close()
			return err
		}
		w.Write(data)
	}
	if err := errors.Join(w.Flush(), out.Sync(), out.Close()); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, a)); err != nil {
		return err
	}
	return os.Remove(filepath.Join(s.dir, b))
}
