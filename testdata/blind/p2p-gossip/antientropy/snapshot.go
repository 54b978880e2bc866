package antientropy

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// WriteSnapshot writes entries to path as gzip-compressed JSON.
func WriteSnapshot(path string, entries []Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	if err := json.NewEncoder(zw).Encode(entries); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// SaveSnapshotAtomic writes entries to a temporary file and renames it over
// path, so readers never see a partial snapshot.
func SaveSnapshotAtomic(path string, entries []Entry) (err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	zw := gzip.NewWriter(f)
	if err = json.NewEncoder(zw).Encode(entries); err != nil {
		return err
	}
	if err = zw.Close(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadSnapshot reads a snapshot written by WriteSnapshot or
// SaveSnapshotAtomic.
func ReadSnapshot(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("antientropy: %s: %w", path, err)
	}
	defer zr.Close()
	var out []Entry
	if err := json.NewDecoder(zr).Decode(&out); err != nil {
		return nil, fmt.Errorf("antientropy: decoding %s: %w", path, err)
	}
	return out, nil
}

// AppendJournal appends one JSON line describing e to the journal at path.
func AppendJournal(path string, e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		return err
	}
	return f.Close()
}

// WriteDigestFile writes a human-readable digest, one "key<TAB>version" per
// line, for operators comparing nodes by hand.
func WriteDigestFile(path string, digest map[string]uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	keys := make([]string, 0, len(digest))
	for k := range digest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%s\t%d\n", k, digest[k]); err != nil {
			return err
		}
	}
	return nil
}

// LoadOrEmpty reads the snapshot at path, or returns an empty state when
// there is none yet.
func LoadOrEmpty(path string) ([]Entry, error) {
	entries, err := ReadSnapshot(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	return entries, err
}

// SnapshotInfo reports how many entries a snapshot holds and its newest
// version, without keeping the entries.
func SnapshotInfo(path string) (count int, newest uint64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, 0, fmt.Errorf("antientropy: %s: %w", path, err)
	}
	var entries []Entry
	if err := json.NewDecoder(zr).Decode(&entries); err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		if e.Version > newest {
			newest = e.Version
		}
	}
	return len(entries), newest, nil
}
