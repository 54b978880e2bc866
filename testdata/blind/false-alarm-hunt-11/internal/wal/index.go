package wal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// DumpIndex writes the key -> last sequence index as JSON so that a
// restart can skip replaying sealed segments.
func DumpIndex(path string, idx map[string]uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(idx)
}

// LoadIndex reads an index written by DumpIndex. A missing file yields
// an empty index.
func LoadIndex(path string) (map[string]uint64, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]uint64{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()

	idx := make(map[string]uint64)
	if err := json.NewDecoder(f).Decode(&idx); err != nil {
		return nil, fmt.Errorf("wal: index %s: %w", path, err)
	}
	return idx, nil
}

// WriteManifest records the live segment names, one per line.
func WriteManifest(path string, segments []string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // for the error paths; the success path closes below

	bw := bufio.NewWriter(f)
	for _, s := range segments {
		if _, err := fmt.Fprintln(bw, s); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// ReadManifest returns the segment names listed in a manifest.
func ReadManifest(path string) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			names = append(names, line)
		}
	}
	return names, sc.Err()
}
