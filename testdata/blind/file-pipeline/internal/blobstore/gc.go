package blobstore

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/filepipeline/internal/walk"
)

// Usage summarises what the store holds.
type Usage struct {
	Blobs  int
	Bytes  int64
	Pinned int
}

// Log writes the usage to l, tagged with when.
func (u Usage) Log(l *log.Logger, when string) {
	l.Printf("blobstore %s: %d blobs, %d bytes, %d pinned", when, u.Blobs, u.Bytes, u.Pinned)
}

// Usage returns the current usage.
func (s *Store) Usage() Usage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := Usage{Blobs: len(s.index), Pinned: len(s.pins)}
	for _, n := range s.index {
		u.Bytes += n
	}
	return u
}

// GC removes every unpinned blob that is not in keep and logs the usage
// once it is done.
func (s *Store) GC(keep map[string]bool) (removed int, err error) {
	defer s.Usage().Log(s.log, "after gc") // HAZ defer-call-chain
	for digest := range s.All() {
		if keep[digest] {
			continue
		}
		if err := s.Delete(digest); err != nil {
			if errors.Is(err, ErrPinned) {
				continue
			}
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// Mark reads the reference lists (one digest per line) and returns the set
// of digests they mention.
func Mark(lists []string) (map[string]bool, error) {
	keep := make(map[string]bool)
	for _, path := range lists {
		err := func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if d := strings.TrimSpace(sc.Text()); ValidDigest(d) {
					keep[d] = true
				}
			}
			return sc.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("mark %s: %w", path, err)
		}
	}
	return keep, nil
}

// verifyOne re-hashes one blob and compares it with its name.
func (s *Store) verifyOne(digest string) error {
	f, err := os.Open(s.pathFor(digest))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != digest {
		return fmt.Errorf("blobstore: %s is corrupt (content hashes to %s)", digest, got)
	}
	return nil
}

// VerifyAll re-hashes every blob and returns the corrupt or missing ones.
func (s *Store) VerifyAll() (bad []string, err error) {
	for digest := range s.All() {
		if verr := s.verifyOne(digest); verr != nil {
			s.log.Print(verr)
			bad = append(bad, digest)
		}
	}
	return bad, nil
}

// SweepTemp removes leftovers of interrupted uploads older than maxAge.
func (s *Store) SweepTemp(maxAge time.Duration) (int, error) {
	n := 0
	cutoff := time.Now().Add(-maxAge)
	var errs []error
	for path := range walk.Paths(walk.OlderThan(walk.Files(filepath.Join(s.root, "tmp")), cutoff)) {
		if err := os.Remove(path); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Compact runs a full collection: mark from the lists, delete the rest,
// sweep the temp directory and persist the index.
func (s *Store) Compact(lists []string) error {
	start := time.Now()
	keep, err := Mark(lists)
	if err != nil {
		return err
	}
	removed, err := s.GC(keep)
	if err != nil {
		return err
	}
	swept, err := s.SweepTemp(24 * time.Hour)
	if err != nil {
		s.log.Printf("blobstore: sweep: %v", err)
	}
	defer func() {
		s.log.Printf("blobstore: compact removed %d blobs and %d temp files in %v", removed, swept, time.Since(start))
	}()
	return s.Flush()
}
