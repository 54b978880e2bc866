package kv

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// copyData returns a sorted copy of the live data.
func (s *Store) copyData() ([]string, map[string][]byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := make(map[string][]byte, len(s.data))
	keys := make([]string, 0, len(s.data))
	for k, v := range s.data {
		m[k] = bytes.Clone(v)
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, m
}

// WriteSnapshot writes all live keys in record format to path.
func (s *Store) WriteSnapshot(path string) (err error) {
	keys, data := s.copyData()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, k := range keys {
		if err := writeRecord(bw, opPut, k, data[k]); err != nil {
			return err
		}
	}
	return nil
}

// WriteSnapshotAtomic writes the snapshot to a temp file, syncs it and
// renames it over path.
func (s *Store) WriteSnapshotAtomic(path string) (err error) {
	keys, data := s.copyData()
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()           // ok: error path, already failing
			os.Remove(tmp.Name()) // best effort
		}
	}()
	bw := bufio.NewWriter(tmp)
	for _, k := range keys {
		if err = writeRecord(bw, opPut, k, data[k]); err != nil {
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

// ExportJSON writes the store as a single JSON object of base64 values.
func (s *Store) ExportJSON(path string) (err error) {
	_, data := s.copyData()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(data)
}

// readSnapshot decodes a snapshot file into a map.
func readSnapshot(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	out := make(map[string][]byte)
	r := bufio.NewReader(f)
	for {
		op, k, v, err := readRecord(r)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("kv: snapshot %s: %w", path, err)
		}
		if op == opPut {
			out[k] = v
		}
	}
}

// Restore replaces the contents of the store with the snapshot at path.
func (s *Store) Restore(path string) error {
	defer s.pauseFlusher()() // ok: pauses now, resumes at exit
	data, err := readSnapshot(path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for k := range s.data {
		if _, keep := data[k]; !keep {
			s.dirty[k] = true
		}
	}
	for k := range data {
		s.dirty[k] = false
	}
	s.data = data
	return nil
}

// BulkLoad reads records from r and applies them, then flushes once.
func (s *Store) BulkLoad(r io.Reader) (n int, err error) {
	defer s.pauseFlusher() // HAZ defer-func-result-not-called
	br := bufio.NewReader(r)
	for {
		op, k, v, err := readRecord(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		if op == opDel {
			err = s.Delete(k)
		} else {
			err = s.Put(k, v)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, s.Flush()
}
