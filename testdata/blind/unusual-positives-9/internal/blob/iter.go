package blob

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"slices"
	"strings"
)

// All yields every blob name and size in name order. The store's read lock is held
// for the whole iteration, so the loop body must not call methods that lock the store.
func (s *Store) All() iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		for _, name := range slices.Sorted(maps.Keys(s.index)) {
			if !yield(name, s.index[name]) {
				return
			}
		}
	}
}

// Lines yields the lines of blob name with their index. The file is closed as soon as
// the iteration stops, early or not.
func (s *Store) Lines(name string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		f, err := os.Open(s.path(name))
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for i := 0; sc.Scan(); i++ {
			if !yield(i, sc.Text()) {
				return
			}
		}
	}
}

// Grep returns the numbers of the first limit lines of name that contain substr.
func (s *Store) Grep(name, substr string, limit int) []int {
	var hits []int
	for i, line := range s.Lines(name) {
		if !strings.Contains(line, substr) {
			continue
		}
		hits = append(hits, i)
		if len(hits) == limit {
			break
		}
	}
	return hits
}

// Compact drops index entries whose files have disappeared from disk.
func (s *Store) Compact() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped := 0
	for name := range s.All() { // HAZ lock-reentry-under-defer
		if _, err := os.Stat(s.path(name)); errors.Is(err, fs.ErrNotExist) {
			delete(s.index, name)
			dropped++
		}
	}
	return dropped
}

// Export writes every blob to w, each preceded by a "== name size" header line.
func (s *Store) Export(w io.Writer) error {
	for name, size := range s.All() {
		f, err := os.Open(s.path(name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := fmt.Fprintf(w, "== %s %d\n", name, size); err != nil {
			return err
		}
		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
	}
	return nil
}

// Checksums returns the hex SHA-256 of every blob.
func (s *Store) Checksums() (map[string]string, error) {
	sums := make(map[string]string)
	for name := range s.All() {
		sum, err := func() (string, error) {
			f, err := os.Open(s.path(name))
			if err != nil {
				return "", err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return "", err
			}
			return hex.EncodeToString(h.Sum(nil)), nil
		}()
		if err != nil {
			return nil, fmt.Errorf("checksum %s: %w", name, err)
		}
		sums[name] = sum
	}
	return sums, nil
}
