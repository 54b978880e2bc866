// Package snapshot writes and loads point-in-time copies of every order book,
// so that a restart replays only the journal tail.
package snapshot

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/matching/internal/book"
)

// Version is the snapshot format version.
const Version = 3

// State is the content of one snapshot.
type State struct {
	Version    int                     `json:"version"`
	TakenAt    time.Time               `json:"taken_at"`
	JournalSeq uint64                  `json:"journal_seq"`
	Books      map[string][]book.Order `json:"books"`
}

// Write stores st at path atomically: it writes a temporary file, syncs it,
// and renames it into place. Every close error is checked.
func Write(path string, st *State) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".snap-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	zw := gzip.NewWriter(tmp)
	if err = json.NewEncoder(zw).Encode(st); err != nil {
		return fmt.Errorf("snapshot: encode: %w", err)
	}
	if err = zw.Close(); err != nil {
		return fmt.Errorf("snapshot: compress: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("snapshot: sync: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("snapshot: close: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// Decode reads a snapshot from r.
func Decode(r io.Reader) (*State, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer zr.Close()
	var st State
	if err := json.NewDecoder(zr).Decode(&st); err != nil {
		return nil, fmt.Errorf("snapshot: decode: %w", err)
	}
	if st.Version != Version {
		return nil, fmt.Errorf("snapshot: version %d, want %d", st.Version, Version)
	}
	return &st, nil
}

// Load reads the snapshot at path.
func Load(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Decode(f)
}

// WriteDebug writes an indented (but still gzipped) copy of st
// next to the real snapshots, for support tickets.
func WriteDebug(path string, st *State) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	enc := json.NewEncoder(zw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(st); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Latest returns the newest snapshot file in dir.
func Latest(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "snap-") && strings.HasSuffix(e.Name(), ".json.gz") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", errors.New("snapshot: none found in " + dir)
	}
	sort.Strings(names)
	return filepath.Join(dir, names[len(names)-1]), nil
}

// fileName names a snapshot by the journal sequence it covers.
func fileName(seq uint64) string {
	return fmt.Sprintf("snap-%020d.json.gz", seq)
}
