package antientropy

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadJournal reads the JSON-lines journal written by AppendJournal. A
// missing journal is empty.
func ReadJournal(path string) ([]Entry, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	dec := json.NewDecoder(f)
	for {
		var e Entry
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("antientropy: %s entry %d: %w", path, len(out)+1, err)
		}
		out = append(out, e)
	}
}

// ImportJSON reads entries from a plain JSON array, the format operators
// use when seeding a cluster by hand.
func ImportJSON(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := f.Close(); err != nil {
			return fmt.Errorf("antientropy: closing %s: %w", path, err)
		}
		return nil
	}()
	var out []Entry
	if err := json.NewDecoder(f).Decode(&out); err != nil {
		return nil, fmt.Errorf("antientropy: %s: %w", path, err)
	}
	for i, e := range out {
		if e.Key == "" || e.Version == 0 {
			return nil, fmt.Errorf("antientropy: %s: entry %d needs a key and a version", path, i)
		}
	}
	return out, nil
}

// MergeSnapshots merges several snapshot files into s, e.g. when restoring a
// node from its peers' backups, and returns how many entries were new.
func (s *Store) MergeSnapshots(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		zr, err := gzip.NewReader(f)
		if err != nil {
			return total, fmt.Errorf("antientropy: %s: %w", p, err)
		}
		var entries []Entry
		if err := json.NewDecoder(zr).Decode(&entries); err != nil {
			return total, fmt.Errorf("antientropy: decoding %s: %w", p, err)
		}
		total += s.Merge(entries)
	}
	return total, nil
}

// RestoreFrom merges every readable snapshot in paths, one file at a time,
// and skips the unreadable ones.
func (s *Store) RestoreFrom(paths []string) (merged int, skipped []string) {
	for _, p := range paths {
		entries, err := ReadSnapshot(p)
		if err != nil {
			skipped = append(skipped, p)
			continue
		}
		merged += s.Merge(entries)
	}
	return merged, skipped
}
