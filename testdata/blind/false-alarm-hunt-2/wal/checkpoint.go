package wal

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Manifest describes the durable state of a store.
type Manifest struct {
	Version    int      `json:"version"`
	Checkpoint string   `json:"checkpoint"`
	Segments   []int    `json:"segments"`
	Tables     []string `json:"tables,omitempty"`
}

// WriteCheckpoint atomically replaces path with the encoded state.
func WriteCheckpoint(path string, state map[string][]byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ckpt-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name()) // ok: best-effort cleanup of a single temp file
		}
	}()
	bw := bufio.NewWriter(tmp)
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err = writeRecord(bw, []byte(k)); err != nil {
			return err
		}
		if err = writeRecord(bw, state[k]); err != nil {
			return err
		}
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ReadCheckpoint decodes a checkpoint file.
func ReadCheckpoint(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	out := map[string][]byte{}
	for {
		k, err := readRecord(r)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		v, err := readRecord(r)
		if err != nil {
			return nil, fmt.Errorf("wal: value for %q: %w", k, err)
		}
		out[string(k)] = v
	}
}

// WriteManifest stores the manifest as JSON.
func WriteManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// SaveManifest stores the manifest and reports the close error.
func SaveManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	if err := json.NewEncoder(f).Encode(m); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// LoadManifest reads a manifest.
func LoadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&m)
	return m, err
}

// ExportSnapshot writes all records as a gzip stream.
func ExportSnapshot(dir, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	err = Replay(dir, func(_ int, rec []byte) error { return writeRecord(zw, rec) })
	if err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// ExportSnapshotTo is ExportSnapshot with the wrapper closed before the file.
func ExportSnapshotTo(dir, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: registered last, runs first
	return Replay(dir, func(_ int, rec []byte) error { return writeRecord(zw, rec) })
}

// ImportSnapshot reads a gzip stream written by ExportSnapshotTo.
func ImportSnapshot(src string, fn func([]byte) error) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close() // ok: reader side, nothing to lose
	for {
		rec, err := readRecord(zr)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// CopySegment copies one segment file, returning write errors from Close.
func CopySegment(src, dst string) (n int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is the named result
		}
	}()
	return io.Copy(out, in)
}
