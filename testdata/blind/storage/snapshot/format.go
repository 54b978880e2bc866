// Package snapshot reads and writes point-in-time snapshots: a directory
// with manifest.json and one gzip-compressed JSON-lines file per part.
package snapshot

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

const formatVersion = 2

// Manifest describes a snapshot directory.
type Manifest struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Parts     []string  `json:"parts"`
	Sizes     []int64   `json:"sizes"`
}

// Record is one item of a snapshot part.
type Record struct {
	Key   string          `json:"k"`
	Value json.RawMessage `json:"v"`
}

// ReadManifest loads dir/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, err
	}
	defer f.Close() // ok: read-only
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return m, fmt.Errorf("snapshot: manifest: %w", err)
	}
	if len(m.Sizes) != len(m.Parts) {
		return m, errors.New("snapshot: manifest: sizes and parts differ in length")
	}
	return m, nil
}

// LoadPart decodes one part file, calling fn for every record.
func LoadPart(path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("snapshot: %s: %w", path, err)
	}
	dec := json.NewDecoder(bufio.NewReader(zr))
	for {
		var r Record
		if err := dec.Decode(&r); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("snapshot: %s: %w", path, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// readPart decodes one part file into memory.
func readPart(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %s: %w", path, err)
	}
	defer zr.Close() // ok: after the error check
	var out []Record
	dec := json.NewDecoder(bufio.NewReader(zr))
	for {
		var r Record
		if err := dec.Decode(&r); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("snapshot: %s: %w", path, err)
		}
		out = append(out, r)
	}
}

// WritePart writes records as a gzip-compressed JSON-lines part file and
// returns its compressed size.
func WritePart(path string, recs []Record) (size int64, err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// WriteManifest writes dir/manifest.json atomically.
func WriteManifest(dir string, m Manifest) (err error) {
	tmp := filepath.Join(dir, ".manifest.json.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "manifest.json"))
}

// Write creates a snapshot in dir with one part per slice of records.
func Write(dir string, parts [][]Record) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m := Manifest{Version: formatVersion, CreatedAt: time.Now().UTC()}
	for i, recs := range parts {
		name := fmt.Sprintf("part-%05d.jsonl.gz", i)
		size, err := WritePart(filepath.Join(dir, name), recs)
		if err != nil {
			return err
		}
		m.Parts = append(m.Parts, name)
		m.Sizes = append(m.Sizes, size)
	}
	return WriteManifest(dir, m)
}
