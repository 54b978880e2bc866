// Package spool stores batches as gzip-compressed NDJSON chunk files on
// disk until the shipper has delivered them.
package spool

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const chunkExt = ".ndjson.gz"

// Spool is a directory of numbered chunk files.
type Spool struct {
	dir      string
	maxBytes int64

	mu  sync.Mutex // serialises sequence numbers and deletions
	seq uint64
}

// Open creates dir if needed and continues numbering after the newest
// chunk already present. maxBytes <= 0 disables the size limit.
func Open(dir string, maxBytes int64) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	s := &Spool{dir: dir, maxBytes: maxBytes}
	names, err := s.List()
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if seq, ok := parseSeq(n); ok && seq > s.seq {
			s.seq = seq
		}
	}
	return s, nil
}

// Dir returns the spool directory.
func (s *Spool) Dir() string { return s.dir }

// Path returns the full path of a chunk.
func (s *Spool) Path(name string) string { return filepath.Join(s.dir, name) }

func parseSeq(name string) (uint64, bool) {
	base := strings.TrimSuffix(name, chunkExt)
	if base == name || !strings.HasPrefix(base, "chunk-") {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(base, "chunk-"), 10, 64)
	return n, err == nil
}

// nextName reserves the next chunk file name.
func (s *Spool) nextName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("chunk-%012d%s", s.seq, chunkExt)
}

// List returns the chunk names, oldest first.
func (s *Spool) List() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), chunkExt) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Usage returns the total size and number of files in the spool.
func (s *Spool) Usage() (int64, int, error) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		total += info.Size()
		n++
	}
	s.mu.Unlock()
	return total, n, nil
}

// Seal moves a finished in-progress file (written by an external
// producer) into the spool under the next chunk name.
func (s *Spool) Seal(current string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := s.nextName() // HAZ lock-reentry-under-defer
	if err := os.Rename(current, filepath.Join(s.dir, name)); err != nil {
		return "", err
	}
	return name, nil
}

// Ack deletes chunks that were shipped successfully.
func (s *Spool) Ack(names []string) error {
	var errs []error
	for _, n := range names {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if err := os.Remove(filepath.Join(s.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Trim deletes the oldest chunks until the spool is under its size limit
// and returns how many chunks were dropped.
func (s *Spool) Trim() (int, error) {
	if s.maxBytes <= 0 {
		return 0, nil
	}
	names, err := s.List()
	if err != nil {
		return 0, err
	}
	sizes := make(map[string]int64, len(names))
	var total int64
	for _, n := range names {
		if info, err := os.Stat(filepath.Join(s.dir, n)); err == nil {
			sizes[n] = info.Size()
			total += info.Size()
		}
	}
	dropped := 0
	for _, n := range names {
		if total <= s.maxBytes {
			break
		}
		err := func() error {
			s.mu.Lock()
			defer s.mu.Unlock()
			return os.Remove(filepath.Join(s.dir, n))
		}()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return dropped, err
		}
		total -= sizes[n]
		dropped++
	}
	return dropped, nil
}

// Oldest returns the name of the oldest chunk, or "" if the spool is empty.
func (s *Spool) Oldest() (string, error) {
	names, err := s.List()
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}

// Quarantine moves a chunk that the collector rejected into the "bad"
// subdirectory so it stops blocking the queue.
func (s *Spool) Quarantine(name string) error {
	bad := filepath.Join(s.dir, "bad")
	if err := os.MkdirAll(bad, 0o750); err != nil {
		return err
	}
	src := filepath.Join(s.dir, name)
	dst := filepath.Join(bad, name)
	if err := os.Link(src, dst); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(src)
	}()
	return s.writeReason(dst + ".reason")
}

func (s *Spool) writeReason(path string) error {
	return os.WriteFile(path, []byte("rejected by collector\n"), 0o640)
}

// Recover renames chunks left as *.tmp by a crash after their data was
// synced, so they get shipped, and returns how many it recovered.
func (s *Spool) Recover() (int, error) {
	defer s.sweepEmpty() // HAZ defer-blocking-call
	matches, err := filepath.Glob(filepath.Join(s.dir, "*"+chunkExt+".tmp"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, tmp := range matches {
		if err := os.Rename(tmp, strings.TrimSuffix(tmp, ".tmp")); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sweepEmpty removes empty subdirectories (old quarantine dirs) below the
// spool.
func (s *Spool) sweepEmpty() {
	var empty []string
	_ = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == s.dir {
			return nil
		}
		if entries, err := os.ReadDir(path); err == nil && len(entries) == 0 {
			empty = append(empty, path)
		}
		return nil
	})
	for _, d := range empty {
		_ = os.Remove(d)
	}
}
