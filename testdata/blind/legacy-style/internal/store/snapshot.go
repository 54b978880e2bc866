package store

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"sort"
	"time"
)

// snapshot copies the data under the read lock.
func (s *Store) snapshot() map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := make(map[string][]byte, len(s.data))
	for k, v := range s.data {
		m[k] = v
	}
	return m
}

// restore replaces the data.
func (s *Store) restore(m map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = m
	s.expires = make(map[string]time.Time)
}

// WriteSnapshot writes a compressed gob of the data to path.
func (s *Store) WriteSnapshot(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	if err := gob.NewEncoder(zw).Encode(s.snapshot()); err != nil {
		return err
	}
	return f.Sync()
}

// SaveSnapshot writes a compressed gob to a temporary file and renames it
// into place, checking every close.
func (s *Store) SaveSnapshot(path string) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
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
	if err = gob.NewEncoder(zw).Encode(s.snapshot()); err != nil {
		return err
	}
	if err = zw.Close(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadSnapshot replaces the data with the snapshot stored at path.
func (s *Store) LoadSnapshot(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("store: %s: %v", path, err)
	}
	defer zr.Close()
	m := make(map[string][]byte)
	if err := gob.NewDecoder(zr).Decode(&m); err != nil {
		return fmt.Errorf("store: %s: %v", path, err)
	}
	s.restore(m)
	return nil
}

// DumpText writes "key<TAB>len" lines to w in key order.
func (s *Store) DumpText(w io.Writer) error {
	snap := s.snapshot()
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "%s\t%d\n", k, len(snap[k])); err != nil {
			return err
		}
	}
	return nil
}

// ExportText writes DumpText output to path through a buffer, flushing and
// closing in the right order with both errors checked.
func (s *Store) ExportText(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	if err = s.DumpText(bw); err != nil {
		return err
	}
	return bw.Flush()
}
